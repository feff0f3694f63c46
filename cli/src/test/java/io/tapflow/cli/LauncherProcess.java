package io.tapflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** {@code ./tapflow <command>} in its own JVM, as a user runs it, its output collected as it comes. */
final class LauncherProcess {
    private final Process process;
    private final StringBuffer output = new StringBuffer();

    private LauncherProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> copy(process.getInputStream()), "run-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code ./tapflow <args>} with {@code TAPFLOW_HOME=home}. */
    static LauncherProcess start(Path home, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("env", "TAPFLOW_HOME=" + home, ShellProcess.LAUNCHER.toString()));
        command.addAll(List.of(args));
        // env execs the launcher, which execs java: the pid is the JVM's, the one signals must reach.
        return new LauncherProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private void copy(InputStream in) {
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            output.append("[output lost: ").append(e.getMessage()).append(']');
        }
    }

    long pid() {
        return process.pid();
    }

    String output() {
        return output.toString();
    }

    /** Waits for the condition; fails with the output so far when the process ended or the time (two minutes) passed. */
    void await(BooleanSupplier condition, String what) throws InterruptedException {
        await(condition, what, Duration.ofMinutes(2));
    }

    void await(BooleanSupplier condition, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError("no " + what + "; tapflow printed:\n" + output());
            }
            Thread.sleep(200);
        }
    }

    /** Sends the signal and returns the exit code. */
    int stop(String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(pid())).start().waitFor()).isZero();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("tapflow did not end after SIG" + signal + "; it printed:\n" + output());
        }
        Thread.sleep(200); // the rest of the output
        return process.exitValue();
    }
}
