package io.tapflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code tapflow shell} on a real pseudo-terminal: a detached tmux session that a test types into key by key and
 * whose screen it reads, as a person at the terminal would. Closing it kills the session.
 */
final class TmuxShell implements AutoCloseable {
    private final String session = "tapflow-shell-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    /** Starts the shell with this TAPFLOW_HOME and environment on a 160x50 terminal. */
    TmuxShell(Path home, Map<String, String> env) throws Exception {
        List<String> start = new ArrayList<>(List.of("new-session", "-d", "-s", session, "-x", "160", "-y", "50"));
        start.add(String.join(" ", ShellProcess.command(home, env)));
        tmux(start.toArray(String[]::new));
    }

    /** Types keys: text, or tmux key names such as Enter, Tab, C-c. */
    void keys(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /** The screen once it satisfies the condition; a guard fails the test with the screen if it never does. */
    String screenUntil(Predicate<String> condition) throws Exception {
        String screen = "";
        for (int i = 0; i < 1200; i++) {
            screen = output("capture-pane", "-p", "-t", session);
            if (condition.test(screen)) {
                return screen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the screen never showed what was expected; it shows:\n" + screen);
    }

    /**
     * The screen once it satisfies the condition and the shell waits at an empty prompt again. The condition tells this
     * prompt from the one before the last keys, which the screen shows until the shell has read them.
     */
    String screenAtPrompt(Predicate<String> condition) throws Exception {
        return screenUntil(s -> condition.test(s) && lastLine(s).equals("tap>"));
    }

    private static String lastLine(String screen) {
        String[] lines = screen.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    /** Waits until the shell has ended (its session closes with it). */
    void awaitExit() throws Exception {
        while (quietly("has-session", "-t", session) == 0) {
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws Exception {
        quietly("kill-session", "-t", session);
    }

    private static void tmux(String... args) throws Exception {
        assertThat(quietly(args)).as("tmux %s", String.join(" ", args)).isZero();
    }

    private static int quietly(String... args) throws IOException, InterruptedException {
        return new ProcessBuilder(command(args)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    private static String output(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(args)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of("tmux"));
        command.addAll(List.of(args));
        return command;
    }
}
