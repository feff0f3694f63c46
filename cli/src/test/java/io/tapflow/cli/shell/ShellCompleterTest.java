package io.tapflow.cli.shell;

import io.tapflow.cli.CliRun;
import io.tapflow.cli.catalog.SavedPipelines;
import io.tapflow.cli.catalog.SavepointHistory;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.PipelineValidator;
import io.tapflow.dsl.TableRef;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jline.reader.Candidate;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What Tab offers at the {@code tap>} prompt, as JLine asks the completer for the line typed so far. */
class ShellCompleterTest {
    @RegisterExtension
    final CliRun cli = new CliRun(); // an empty TAPFLOW_HOME: no datasources, pipelines or cluster to offer

    private final ShellCompleter completer = new ShellCompleter(new ShellCommands(new PrintWriter(new StringWriter()), false));

    private List<Candidate> candidates(String typed) {
        ParsedLine line = ShellCompleter.parser().parse(typed, typed.length(), Parser.ParseContext.COMPLETE);
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(null, line, candidates);
        return candidates;
    }

    private List<String> values(String typed) {
        return candidates(typed).stream().map(Candidate::value).toList();
    }

    @Test
    void afterADotInPythonTheStepsOfAFlow() {
        assertThat(values("Flow('x').read_from('ds.t').ex")).contains("Flow('x').read_from('ds.t').exclude(",
                "Flow('x').read_from('ds.t').filter(", "Flow('x').read_from('ds.t').rename_fields(",
                "Flow('x').read_from('ds.t').py(", "Flow('x').read_from('ds.t').write_to(", "Flow('x').read_from('ds.t').save(",
                "Flow('x').read_from('ds.t').start(").doesNotContain("Flow('x').read_from('ds.t').readFrom(");
        // A continued line of a chain, and a word after a blank inside the call before the dot.
        assertThat(values("    .inc")).contains(".include(");
        assertThat(values("f = Flow('a b').")).contains("b').add_field(");
        // The menu shows the step names; the completed word takes no blank after it, the arguments come next.
        assertThat(candidates("flow.")).allSatisfy(c -> assertThat(c.complete()).isFalse())
                .extracting(Candidate::displ).contains("read_from", "js");
    }

    @Test
    void showOffersPipelinesSavedInAShellAndJobsStartedFromThisHome() {
        Map<String, DataSource> catalog = Map.of(
                "src", new DataSource("mysql", "src", Map.of("host", "h", "username", "u", "database", "d")),
                "dst", new DataSource("postgres", "dst", Map.of("host", "h", "username", "u", "database", "d")));
        SavepointHistory.of("from-json").recordStarted(PipelineValidator.validate(copy("from-json"), catalog));
        SavedPipelines.save(copy("from-shell"));
        assertThat(values("show ")).containsExactly("dbs", "tables", "jobs", "from-json", "from-shell");
    }

    private static Pipeline copy(String name) {
        return Pipeline.named(name).readFrom(new TableRef("src", "t")).writeTo(new TableRef("dst", "t"));
    }

    @Test
    void noStepsInsideAStringOrForAShellCommand() {
        assertThat(values("print('a.b")).noneMatch(v -> v.contains("("));
        assertThat(values("use demo.my")).isEmpty(); // datasource names may hold dots; none are in this catalog
        assertThat(values("sh")).contains("show", "status").noneMatch(v -> v.contains("("));
    }
}
