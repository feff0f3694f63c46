package io.tapflow.udf.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.TapflowException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonConsoleTest {
    static final Map<String, DataSource> CATALOG = Map.of(
            "src", new DataSource("mysql", "src", Map.of("host", "h", "username", "u", "database", "d")),
            "dst", new DataSource("postgres", "dst", Map.of("host", "h", "username", "u", "database", "d")));

    @TempDir
    Path dir;

    @Test
    void statementsShareOneContextAndReportOnlyWhatTheyDid() {
        try (PythonConsole console = new PythonConsole(dir)) {
            assertThat(console.eval("table = 'src.items'", CATALOG)).isEqualTo(new ScriptResult(java.util.List.of(), java.util.List.of(), java.util.List.of(), java.util.List.of()));
            console.eval("def up(record):\n    record['v'] = record['v'].upper()\n    return record\n", CATALOG);
            ScriptResult saved = console.eval("Flow('a').read_from(table).py(up).write_to('dst').save()", CATALOG);
            assertThat(saved.savedPipelines()).singleElement().satisfies(spec -> assertThat(spec.pipeline().steps()).containsExactly(
                    new Step.PyUdf("def up(record):\n    record['v'] = record['v'].upper()\n    return record\n", "up", "shell.py:1")));
            // The next statement reports its own doings only, not the earlier save again.
            assertThat(console.eval("Flow('b').read_from(table).write_to('dst').start()", CATALOG).savedPipelines()).isEmpty();
        }
    }

    @Test
    void aFailingStatementLeavesTheContextUsable() {
        try (PythonConsole console = new PythonConsole(dir)) {
            console.eval("n = 41", CATALOG);
            assertThatThrownBy(() -> console.eval("Flow('x').read_from('nope.t').save()", CATALOG))
                    .isInstanceOf(TapflowException.class).hasMessageContaining("unknown datasource 'nope'");
            assertThatThrownBy(() -> console.eval("1/0", CATALOG)).hasMessageContaining("ZeroDivisionError");
            assertThat(console.eval("n = n + 1\nFlow('ok' + str(n)).read_from('src.t').write_to('dst').save()", CATALOG)
                    .savedPipelines()).singleElement().satisfies(s -> assertThat(s.pipeline().name()).isEqualTo("ok42"));
        }
    }

    @Test
    void interruptStopsTheRunningStatementOnly() throws Exception {
        try (PythonConsole console = new PythonConsole(dir)) {
            console.eval("import time\nstarted = False", CATALOG);
            CompletableFuture<ScriptResult> sleeping = CompletableFuture.supplyAsync(
                    () -> console.eval("started = True\ntime.sleep(600)", CATALOG));
            Thread.sleep(500); // let it reach the sleep; interrupt() before that only ends it sooner
            console.interrupt();
            assertThatThrownBy(() -> sleeping.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TapflowException.class);
            console.eval("assert started", CATALOG);
        }
    }

    @Test
    void flowMethodsAreTheStepsInPythonSpelling() {
        assertThat(PipelineScripts.flowMethods()).contains("read_from", "filter", "exclude", "include", "rename_fields",
                "add_field", "js", "py", "write_to", "save", "start").doesNotContain("readFrom", "writeTo");
    }
}
