package io.tapflow.cli;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.TapflowException;
import io.tapflow.servers.Directories;
import io.tapflow.udf.script.PipelineScripts;
import io.tapflow.udf.script.ScriptResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Python DSL statements typed in the shell. The script engine runs whole scripts, so the shell keeps the statements
 * that worked and runs them again with each new one; what the new one added is acted on: a saved datasource goes to
 * the catalog, a saved pipeline to {@code $TAPFLOW_HOME/pipelines}, a started one is also submitted to the cluster.
 */
final class ShellScript {
    static final String FILE_NAME = "shell.py";
    private static final Pattern DSL = Pattern.compile("^(def |class |import |from |@|[A-Za-z_][\\w.]*\\s*=[^=]|.*\\().*",
            Pattern.DOTALL);
    private static final Pattern LOCATION = Pattern.compile("^" + Pattern.quote(FILE_NAME) + ":\\d+: ");

    private final PrintWriter out;
    private final Consumer<String[]> tapflow;
    private final List<String> statements = new ArrayList<>();
    private ScriptResult last = new ScriptResult(List.of(), List.of(), List.of());

    /** @param tapflow runs a {@code tapflow} subcommand, printing to the shell */
    ShellScript(PrintWriter out, Consumer<String[]> tapflow) {
        this.out = out;
        this.tapflow = tapflow;
    }

    /** A line the shell hands to Python rather than to its commands: a definition, an assignment or a call. */
    static boolean isDsl(String line) {
        String first = line.strip().split("\\s+")[0];
        return !ShellCommands.NAMES.contains(first) && DSL.matcher(line.strip()).matches();
    }

    /** A line after which Python needs more lines: a {@code def}, a block header or a continued line. */
    static boolean opensBlock(String line) {
        String s = line.stripTrailing();
        return s.endsWith(":") || s.endsWith("\\") || s.endsWith("(") || s.endsWith(",");
    }

    /** Synchronized: a statement left running by Ctrl-C must not interleave with the next one. */
    synchronized void eval(String statement) throws IOException {
        List<String> all = new ArrayList<>(statements);
        all.add(statement);
        Path dir = Files.createTempDirectory("tapflow-shell");
        try {
            // A real file, so that Python's inspect can read a def's source back for py(...) steps.
            Path file = dir.resolve(FILE_NAME);
            Files.writeString(file, String.join("\n", all) + "\n");
            ScriptResult result = run(file);
            if (Thread.currentThread().isInterrupted()) {
                return; // ended with Ctrl-C: the user gave up on this statement, so it is neither kept nor acted on
            }
            statements.add(statement);
            ScriptResult before = last;
            last = result;
            result.savedDataSources().stream().filter(ds -> !before.savedDataSources().contains(ds)).forEach(this::save);
            result.savedPipelines().stream().filter(p -> !before.savedPipelines().contains(p)).forEach(this::save);
            result.started().stream().filter(p -> !before.started().contains(p)).forEach(p -> start(save(p)));
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    /** Starts a pipeline saved with {@code Flow(...).save()} (in this shell or an earlier one). */
    void start(String name) {
        tapflow.accept(new String[] {"start", SavedPipelines.require(name).toString()});
    }

    private ScriptResult run(Path file) {
        try {
            return PipelineScripts.run(file, Catalog.open().all());
        } catch (TapflowException e) {
            // Line numbers count the replayed statements, which the user never saw as a file.
            throw new TapflowException(LOCATION.matcher(e.getMessage()).replaceFirst(""), e);
        }
    }

    private void save(DataSource ds) {
        Catalog.open().save(ds);
        out.println("saved datasource '" + ds.name() + "' (" + ds.type() + ")");
    }

    private String save(JobSpec spec) {
        Path file = SavedPipelines.save(spec.pipeline());
        out.println("saved pipeline '" + spec.pipeline().name() + "' to " + file);
        return spec.pipeline().name();
    }
}
