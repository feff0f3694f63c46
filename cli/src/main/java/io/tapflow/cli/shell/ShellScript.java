package io.tapflow.cli.shell;

import io.tapflow.cli.Interruptibly;
import io.tapflow.cli.catalog.Catalog;
import io.tapflow.cli.catalog.SavedPipelines;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.TapflowException;
import io.tapflow.dsl.api.Api;
import io.tapflow.servers.Directories;
import io.tapflow.udf.script.PythonConsole;
import io.tapflow.udf.script.PythonLines;
import io.tapflow.udf.script.ScriptResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python DSL statements typed in the shell, evaluated one by one in the session's one {@link PythonConsole}, so that
 * variables and {@code def}s persist. What a statement did is acted on: a saved datasource goes to the catalog, a saved
 * pipeline to {@code $TAPFLOW_HOME/pipelines}, a started one is also submitted to the cluster.
 */
final class ShellScript implements AutoCloseable {
    // A shell command's typo (a bare word, or words) stays an "unknown command"; whatever reads as Python goes to Python:
    // a statement keyword, an assignment (also augmented or to an item), a call, or an expression opening with a literal.
    private static final Pattern DSL = Pattern.compile("^((def|class|import|from|for|while|if|with|try|del|assert|raise|pass)\\b"
            + "|@|[A-Za-z_][\\w.]*(\\[.*])?\\s*([-+*/%&|^@]|//|\\*\\*|>>|<<)?=[^=]|.*\\(|[\\d(\\['\"{-]).*", Pattern.DOTALL);
    private static final Pattern ASSIGNMENT = Pattern.compile("\\s*([A-Za-z_]\\w*)\\s*=(?!=)");
    private static final Pattern LOCATION = Pattern.compile("^" + Pattern.quote(PythonConsole.NAME) + "(?::(\\d+))?: ");

    private final PrintWriter out;
    private final Consumer<String[]> tapflow;
    private volatile Path dir;
    private volatile PythonConsole console; // made by the first statement: a shell that only browses never starts Python
    private volatile String lastAssigned; // the name the last successful statement assigned, for a '.method()' line

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

    /** Synchronized: the console runs one statement at a time. Ctrl-C (an interrupt) stops the statement. */
    synchronized void eval(String typed) throws IOException {
        String statement = continued(typed);
        lastAssigned = null;
        PythonConsole python = console();
        Map<String, DataSource> catalog = Catalog.open().all();
        ScriptResult result;
        try {
            result = Interruptibly.call(() -> python.eval(statement, catalog), python::interrupt);
        } catch (TapflowException e) {
            throw withoutFileName(e, statement);
        }
        lastAssigned = assignedName(statement);
        result.notes().forEach(out::println);
        result.savedDataSources().forEach(this::save);
        result.savedPipelines().forEach(this::save);
        result.started().forEach(p -> start(save(p)));
        for (JobSpec spec : result.verified()) {
            verify(spec);
        }
        for (Api api : result.publishedApis()) {
            publish(api);
        }
    }

    /** {@code Api(...).publish()}: runs 'tapflow api publish', which checks the API against its table first. */
    private void publish(Api api) throws IOException {
        Path file = dir.resolve("api-" + api.name() + ".json");
        Files.writeString(file, DefinitionJson.toJson(api));
        tapflow.accept(new String[] {"api", "publish", file.toString()});
    }

    /** {@code flow.verify()}: runs 'tapflow verify' on the pipeline as defined, without saving it. */
    private void verify(JobSpec spec) throws IOException {
        Path file = dir.resolve("verify-" + spec.pipeline().name() + ".json");
        Files.writeString(file, DefinitionJson.toJson(spec.pipeline()));
        tapflow.accept(new String[] {"verify", file.toString()});
    }

    /**
     * TapFlow's examples go on with a statement on the next line, {@code .type('source')} under {@code x = DataSource(...)}.
     * The statement before has run by then, so such a line is applied to the name it assigned: {@code x = x.type('source')}.
     */
    private String continued(String statement) {
        if (!PythonLines.continuesWithMethod(statement)) {
            return statement;
        }
        if (lastAssigned == null) {
            throw new TapflowException("a line starting with '.' goes on with the statement before it, which assigned no name;"
                    + " write name = ... on that statement, or end its last line with \\");
        }
        return lastAssigned + " = " + lastAssigned + statement.strip();
    }

    /** The name a statement assigns ({@code x = ...}), or null. */
    private static String assignedName(String statement) {
        Matcher m = ASSIGNMENT.matcher(statement);
        return m.lookingAt() ? m.group(1) : null;
    }

    /** Starts a pipeline saved with {@code Flow(...).save()} (in this shell or an earlier one). */
    void start(String name) {
        tapflow.accept(new String[] {"start", SavedPipelines.require(name).toString()});
    }

    /** Not synchronized: at exit, a statement that would not stop must not keep the shell from ending; it is cancelled. */
    @Override
    public void close() {
        if (console != null) {
            console.close();
            Directories.deleteRecursively(dir);
        }
    }

    private PythonConsole console() throws IOException {
        if (console == null) {
            dir = Files.createTempDirectory("tapflow-shell");
            console = new PythonConsole(dir);
        }
        return console;
    }

    /** The user typed no file: a line number is kept only where a block has lines to count. */
    private static TapflowException withoutFileName(TapflowException e, String statement) {
        Matcher m = LOCATION.matcher(e.getMessage());
        if (!m.find()) {
            return e;
        }
        String rest = e.getMessage().substring(m.end());
        boolean lineOfABlock = statement.strip().contains("\n") && m.group(1) != null;
        return new TapflowException(lineOfABlock ? "line " + m.group(1) + ": " + rest : rest, e);
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
