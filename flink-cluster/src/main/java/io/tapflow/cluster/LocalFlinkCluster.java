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
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Flink session cluster made of separate processes on this machine: one JobManager (REST API and dashboard) and
 * one or more TaskManagers; when highly available, a ZooKeeper server and a standby JobManager that takes over the
 * jobs when the leader dies. {@link #close()} stops them all; a shutdown hook does the same if the owner forgets,
 * unless the cluster was {@link #detach() detached} to outlive this JVM (as {@code tapflow cluster start} does).
 */
public final class LocalFlinkCluster implements AutoCloseable {
    private static final Pattern TASK_MANAGERS = Pattern.compile("\"taskmanagers\"\\s*:\\s*(\\d+)");
    private static final Pattern SLOTS = Pattern.compile("\"slots-total\"\\s*:\\s*(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private static final String LEADERSHIP = "DefaultDispatcherRunner was granted leadership";

    private final LocalClusterSettings settings;
    private final Process zooKeeper;
    private final List<Process> jobManagers = new ArrayList<>();
    private final List<Process> taskManagers = new ArrayList<>();
    private final Thread stopOnExit = new Thread(this::stopProcesses, "stop local Flink cluster");

    private LocalFlinkCluster(LocalClusterSettings settings, Process zooKeeper) {
        this.settings = settings;
        this.zooKeeper = zooKeeper;
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** Starts ZooKeeper (when highly available), the JobManagers and the TaskManagers; returns once all registered. */
    public static LocalFlinkCluster start(LocalClusterSettings settings) {
        int zooKeeperPort = freePort();
        Map<String, String> entries = FlinkConfiguration.entries(settings, freePort(), zooKeeperPort);
        FlinkConfiguration.write(settings, entries);
        var conf = FlinkConfiguration.toFlink(entries);
        LocalFlinkCluster cluster = new LocalFlinkCluster(settings,
                settings.highAvailability() ? ZooKeeperProcess.start(settings, zooKeeperPort) : null);
        try {
            List<Integer> restPorts = settings.restPorts();
            for (int i = 0; i < restPorts.size(); i++) {
                String name = jobManagerName(i);
                cluster.jobManagers.add(launch(settings, FlinkProcessCommand.jobManager(settings, conf, name, restPorts.get(i)), name));
            }
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

    /** The JobManagers' process ids, the first started first. */
    public List<Long> jobManagerPids() {
        return jobManagers.stream().map(Process::pid).toList();
    }

    /** The ZooKeeper server's process id, when the cluster is highly available. */
    public Optional<Long> zooKeeperPid() {
        return Optional.ofNullable(zooKeeper).map(Process::pid);
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

    /** The log name of the JobManager with this index: {@code jobmanager}, then {@code jobmanager-2}. */
    public static String jobManagerName(int index) {
        return index == 0 ? "jobmanager" : "jobmanager-" + (index + 1);
    }

    /**
     * The index of the JobManager that leads a highly available cluster: the one whose log last records winning the
     * leader election (each JobManager writes its own log), or empty while none has.
     */
    public static OptionalInt leadingJobManager(Path logDir, int jobManagers) {
        int leader = -1;
        String latest = "";
        for (int i = 0; i < jobManagers; i++) {
            Path log = logDir.resolve(jobManagerName(i) + ".log");
            if (!Files.isRegularFile(log)) {
                continue;
            }
            try (var lines = Files.lines(log)) {
                // Lines start with their time (yyyy-MM-dd HH:mm:ss,SSS), which orders as text.
                String won = lines.filter(l -> l.contains(LEADERSHIP)).reduce((a, b) -> b).map(l -> l.substring(0, 23)).orElse("");
                if (won.compareTo(latest) > 0) {
                    latest = won;
                    leader = i;
                }
            } catch (IOException | UncheckedIOException unreadable) {
                // Being written: asked again later.
            }
        }
        return leader < 0 ? OptionalInt.empty() : OptionalInt.of(leader);
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
        all.addAll(jobManagers);
        // ZooKeeper last: the JobManagers release their leadership in it as they stop.
        Optional.ofNullable(zooKeeper).ifPresent(all::add);
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
                Matcher slots = SLOTS.matcher(response.body());
                if (response.statusCode() == 200 && m.find()) {
                    registered = Integer.parseInt(m.group(1));
                    // A TaskManager is listed before its slots are: a job started at once could not yet have them all.
                    if (registered >= expected && slots.find()
                            && Integer.parseInt(slots.group(1)) >= expected * settings.slotsPerTaskManager()) {
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
        List<Process> all = new ArrayList<>(jobManagers);
        all.addAll(taskManagers);
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
