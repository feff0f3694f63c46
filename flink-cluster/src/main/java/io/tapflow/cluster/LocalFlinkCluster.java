package io.tapflow.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Flink session cluster made of separate processes on this machine: one JobManager (REST API and dashboard) and
 * one or more TaskManagers. {@link #close()} stops them all; a shutdown hook does the same if the owner forgets, unless
 * the cluster was {@link #detach() detached} to outlive this JVM (as {@code tapflow cluster start} does).
 */
public final class LocalFlinkCluster implements AutoCloseable {
    private static final Pattern TASK_MANAGERS = Pattern.compile("\"taskmanagers\"\\s*:\\s*(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final LocalClusterSettings settings;
    private final Process jobManager;
    private final List<Process> taskManagers = new ArrayList<>();
    private final Thread stopOnExit = new Thread(this::stopProcesses, "stop local Flink cluster");

    private LocalFlinkCluster(LocalClusterSettings settings, Process jobManager) {
        this.settings = settings;
        this.jobManager = jobManager;
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** Starts the JobManager and the TaskManagers and returns once all TaskManagers have registered. */
    public static LocalFlinkCluster start(LocalClusterSettings settings) {
        Map<String, String> entries = FlinkConfiguration.entries(settings, freePort());
        FlinkConfiguration.write(settings, entries);
        var conf = FlinkConfiguration.toFlink(entries);
        LocalFlinkCluster cluster = new LocalFlinkCluster(settings,
                launch(settings, FlinkProcessCommand.jobManager(settings, conf), "jobmanager"));
        try {
            for (int i = 1; i <= settings.taskManagers(); i++) {
                String id = "taskmanager-" + i;
                cluster.taskManagers.add(launch(settings, FlinkProcessCommand.taskManager(settings, conf, id), id));
            }
            cluster.awaitTaskManagers(settings.taskManagers());
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public String restUrl() {
        return "http://localhost:" + settings.restPort();
    }

    public long jobManagerPid() {
        return jobManager.pid();
    }

    public List<Long> taskManagerPids() {
        return taskManagers.stream().map(Process::pid).toList();
    }

    /** Kills a TaskManager the hard way (SIGKILL), as a crashed machine would disappear. */
    public void killTaskManager(int index) throws InterruptedException {
        Process tm = taskManagers.get(index);
        tm.destroyForcibly();
        tm.waitFor();
    }

    /** Hands the processes over to whoever knows their pids: they keep running after this JVM exits. */
    public void detach() {
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shutdownInProgress) {
            // Closing from inside a shutdown hook: the processes are stopped below all the same.
        }
        stopProcesses();
    }

    private void stopProcesses() {
        List<Process> all = new ArrayList<>(taskManagers);
        all.add(jobManager);
        all.forEach(Process::destroy);
        for (Process p : all) {
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Process launch(LocalClusterSettings settings, List<String> command, String name) {
        File out = settings.logDir().resolve(name + ".out").toFile();
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(settings.directory().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(settings.environment());
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Flink " + name + " process", e);
        }
    }

    private void awaitTaskManagers(int expected) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest overview = HttpRequest.newBuilder(URI.create(restUrl() + "/overview")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        int registered = -1;
        while (System.nanoTime() < deadline) {
            failIfAnyProcessEnded();
            try {
                HttpResponse<String> response = http.send(overview, HttpResponse.BodyHandlers.ofString());
                Matcher m = TASK_MANAGERS.matcher(response.body());
                if (response.statusCode() == 200 && m.find()) {
                    registered = Integer.parseInt(m.group(1));
                    if (registered >= expected) {
                        return;
                    }
                }
            } catch (IOException notUpYet) {
                // The REST endpoint is not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Flink cluster to start", e);
            }
            sleep(Duration.ofMillis(300));
        }
        throw new IllegalStateException("the Flink cluster did not start within " + START_TIMEOUT.toSeconds() + " s ("
                + Math.max(registered, 0) + " of " + expected + " TaskManagers registered); see the logs in " + settings.logDir());
    }

    private void failIfAnyProcessEnded() {
        List<Process> all = new ArrayList<>(taskManagers);
        all.add(0, jobManager);
        for (Process p : all) {
            if (!p.isAlive()) {
                throw new IllegalStateException("a Flink process of the local cluster exited with code " + p.exitValue()
                        + " while starting; see the logs in " + settings.logDir() + ": " + tail(settings.logDir()));
            }
        }
    }

    private static String tail(Path logDir) {
        try (var files = Files.list(logDir)) {
            return files.filter(f -> f.toString().endsWith(".out")).map(f -> {
                try {
                    List<String> lines = Files.readAllLines(f);
                    return f.getFileName() + ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
                } catch (IOException e) {
                    return f.getFileName() + ": unreadable";
                }
            }).toList().toString();
        } catch (IOException e) {
            return "(no logs)";
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A TCP port nobody listens on right now, for the JobManager's RPC endpoint. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free TCP port", e);
        }
    }
}
