package io.tapflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.servers.PostgresServer;
import io.tapflow.servers.SharedServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code tapflow shell} on a real pseudo-terminal (a tmux session), typed into key by key; the assertions are on what
 * the screen shows: the prompt, a tab completion, an error that does not end the shell, Ctrl-C, and exit.
 */
class ShellTerminalITCase {
    @RegisterExtension
    final CliRun cli = new CliRun();
    private final String session = "tapflow-shell-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    @AfterEach
    void killSession() throws Exception {
        tmuxQuietly("kill-session", "-t", session);
    }

    @Test
    void aPersonAtTheTerminal() throws Exception {
        PostgresServer pg = SharedServers.postgres();
        pg.createDatabase("shell_tty");
        assertThat(cli.run("datasource", "add", "pg-tty", "--type", "postgres", "-o", "host=" + pg.host(), "-o", "port=" + pg.port(),
                "-o", "username=" + pg.user(), "-o", "password=" + pg.password(), "-o", "database=shell_tty")).isZero();
        List<String> start = new ArrayList<>(List.of("new-session", "-d", "-s", session, "-x", "160", "-y", "50"));
        start.add(String.join(" ", ShellProcess.command(cli.home(), Map.of())));
        tmux(start.toArray(String[]::new));

        String screen = screenUntil(s -> s.contains("tap>"));
        assertThat(screen).startsWith("tap>"); // capture-pane drops trailing blanks

        keys("use pg-t", "Tab");
        assertThat(screenUntil(s -> s.contains("tap> use pg-tty"))).contains("tap> use pg-tty");
        keys("Enter");
        assertThat(screenUntil(s -> s.contains("using datasource"))).contains("using datasource 'pg-tty' (postgres)");

        keys("frobnicate", "Enter");
        screen = screenUntil(s -> s.contains("error: unknown command"));
        assertThat(lastLine(screenUntil(s -> lastLine(s).equals("tap>")))).isEqualTo("tap>");
        assertThat(screen).contains("error: unknown command 'frobnicate'");

        // Ctrl-C ends the running command, not the shell; the print shows that the command is running by then.
        keys("import time; print('sleep' + 'ing'); time.sleep(600)", "Enter");
        screenUntil(s -> s.contains("sleeping"));
        keys("C-c");
        screen = screenUntil(s -> s.contains("interrupted") && lastLine(s).equals("tap>"));
        assertThat(screen).contains("interrupted");

        keys("show tables", "Enter");
        assertThat(screenUntil(s -> s.contains("table(s) in"))).contains("0 table(s) in 'pg-tty'");

        keys("exit", "Enter");
        while (tmuxQuietly("has-session", "-t", session) == 0) {
            Thread.sleep(100);
        }
        assertThat(Files.readString(cli.home().resolve("shell_history"))).contains("frobnicate").contains("use pg-tty");
    }

    private static String lastLine(String screen) {
        String[] lines = screen.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private void keys(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /** The screen once it satisfies the condition; a guard fails the test with the screen if it never does. */
    private String screenUntil(Predicate<String> condition) throws Exception {
        String screen = "";
        for (int i = 0; i < 1200; i++) {
            screen = tmuxOutput("capture-pane", "-p", "-t", session);
            if (condition.test(screen)) {
                return screen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the screen never showed what was expected; it shows:\n" + screen);
    }

    private static void tmux(String... args) throws Exception {
        int rc = tmuxQuietly(args);
        assertThat(rc).as("tmux %s", String.join(" ", args)).isZero();
    }

    private static int tmuxQuietly(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    private static String tmuxOutput(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
