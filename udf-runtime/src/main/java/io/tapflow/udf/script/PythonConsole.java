package io.tapflow.udf.script;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.udf.GuestLanguage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.graalvm.polyglot.Source;

/**
 * One Python context with the DSL preloaded for an interactive session: statements are evaluated in it one at a time,
 * so variables and functions persist between them, and each one reports what it saved and started. An error or an
 * interrupt ends only the statement; the context goes on.
 */
public final class PythonConsole implements AutoCloseable {
    /** The script name errors and UDF locations show for statements, e.g. {@code shell.py:2: ...}. */
    public static final String NAME = "shell.py";
    private static final Duration INTERRUPT_WAIT = Duration.ofSeconds(10);

    private final Path dir;
    private final DslContext dsl;
    private int statements;

    /** @param dir an empty directory for the statements as files, from which Python's inspect reads a def's source */
    public PythonConsole(Path dir) {
        this.dir = dir;
        this.dsl = new DslContext(GuestLanguage.PYTHON, NAME, Map.of());
    }

    /** Evaluates one statement (or block) with names resolving against the catalog; returns what it saved and started. */
    public synchronized ScriptResult eval(String statement, Map<String, DataSource> catalog) {
        Path file = dir.resolve("statement-" + (++statements) + ".py");
        Source source;
        try {
            Files.writeString(file, statement.endsWith("\n") ? statement : statement + "\n");
            source = Source.newBuilder(GuestLanguage.PYTHON.id(), file.toFile()).name(NAME).build();
        } catch (IOException e) {
            throw new TapflowException("cannot write the statement to " + file + ": " + e.getMessage(), e);
        }
        dsl.session().startStatement(catalog);
        dsl.nameDataSources(catalog.keySet());
        dsl.eval(source);
        return dsl.session().result();
    }

    /** Stops the statement running on another thread, e.g. for Ctrl-C. */
    public void interrupt() {
        dsl.interrupt(INTERRUPT_WAIT);
    }

    @Override
    public void close() {
        dsl.close();
    }
}
