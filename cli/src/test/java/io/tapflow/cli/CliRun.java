package io.tapflow.cli;

import io.tapflow.servers.Directories;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import picocli.CommandLine;

/**
 * Runs tapflow commands in-process as a user types them, keeping what the last one printed to stdout and stderr.
 * Registered as a JUnit extension ({@code @RegisterExtension}), it also gives each test a fresh, empty TAPFLOW_HOME.
 */
public final class CliRun implements BeforeEachCallback, AfterEachCallback {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path home;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        home = Files.createTempDirectory("tapflow-home");
        System.setProperty("tapflow.home", home.toString());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.clearProperty("tapflow.home");
        Directories.deleteRecursively(home);
    }

    /** This test's TAPFLOW_HOME. */
    public Path home() {
        return home;
    }

    /** Runs one command; returns its exit code. */
    public int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cmd = TapflowCli.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    public String out() {
        return out.toString();
    }

    public String err() {
        return err.toString();
    }
}
