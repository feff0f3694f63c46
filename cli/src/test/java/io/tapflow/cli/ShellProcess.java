package io.tapflow.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code ./tapflow shell} as a user does: the real launcher of this checkout in its own JVM, with its own
 * TAPFLOW_HOME. Needs {@code mvn package} first, which {@code mvn verify} does before the integration tests.
 */
final class ShellProcess {
    static final Path LAUNCHER = Path.of("..", "tapflow").toAbsolutePath().normalize();

    private ShellProcess() {}

    /** The launcher command line with TAPFLOW_HOME and further environment set through env(1), for tmux too. */
    static List<String> command(Path home, Map<String, String> env) {
        List<String> command = new ArrayList<>(List.of("env", "TAPFLOW_HOME=" + home));
        env.forEach((k, v) -> command.add(k + "=" + v));
        command.addAll(List.of(LAUNCHER.toString(), "shell"));
        return command;
    }

    /** Pipes {@code input} into a shell and returns everything it printed (stdout and stderr) once it has ended. */
    static String piped(Path home, Map<String, String> env, String input) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(home, env)).redirectErrorStream(true).start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // A guard against a hung shell, not a timing assertion: the output is read to its end above.
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the shell did not end at the end of its input; it printed:\n" + output);
        }
        return output;
    }
}
