package io.tapflow.cli.run;

import io.tapflow.cli.OwnerOnlyFiles;
import io.tapflow.cli.TapflowHome;
import io.tapflow.cli.flink.JobJar;
import io.tapflow.cluster.LocalClusterSettings;
import io.tapflow.cluster.LocalFlinkCluster;
import io.tapflow.dsl.TapflowException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The local session cluster under {@code $TAPFLOW_HOME/cluster}: started in the background by one tapflow command
 * and found again by the next through the process ids in {@code cluster.properties}. Checkpoints, savepoints and the
 * uploaded job jar stay in that directory across restarts.
 */
public final class LocalCluster {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private final Path dir;

    LocalCluster(Path dir) {
        this.dir = dir;
    }

    public static LocalCluster inHome() {
        return new LocalCluster(TapflowHome.path().resolve("cluster"));
    }

    /**
     * A started cluster: the REST ports of its JobManagers (two when highly available) and the process ids of all its
     * processes, each with its start time, because a process id may have been reused by another program since.
     */
    public record State(List<Integer> restPorts, Map<Long, Instant> pids) {
        public State {
            restPorts = List.copyOf(restPorts);
        }

        /**
         * The REST URL of a JobManager that answers: the first one, or the standby of a highly available cluster
         * when the first is gone (any JobManager's REST API serves the leader's jobs).
         */
        public String restUrl() {
            return restPorts.stream().filter(State::listening).findFirst().or(() -> restPorts.stream().findFirst())
                    .map(port -> "http://localhost:" + port).orElseThrow();
        }

        public boolean highlyAvailable() {
            return restPorts.size() > 1;
        }

        private static boolean listening(int port) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 300);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        List<ProcessHandle> alive() {
            return pids.entrySet().stream()
                    .flatMap(e -> ProcessHandle.of(e.getKey()).stream()
                            .filter(p -> p.isAlive() && p.info().startInstant().map(e.getValue()::equals).orElse(false)))
                    .toList();
        }
    }

    public Path directory() {
        return dir;
    }

    public Optional<State> running() {
        Path file = stateFile();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new TapflowException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<Long, Instant> pids = new LinkedHashMap<>();
        for (String pid : p.getProperty("pids", "").split(",")) {
            if (!pid.isBlank()) {
                pids.put(Long.valueOf(pid), Instant.parse(p.getProperty("started." + pid)));
            }
        }
        // Clusters started before high availability existed wrote one "rest.port".
        List<Integer> ports = java.util.Arrays.stream(p.getProperty("rest.ports", p.getProperty("rest.port", "")).split(","))
                .filter(port -> !port.isBlank()).map(Integer::valueOf).toList();
        State state = new State(ports, pids);
        return state.alive().isEmpty() ? Optional.empty() : Optional.of(state);
    }

    /** @param highAvailability two JobManagers with ZooKeeper leader election; the second's REST port is restPort + 1 */
    public State start(int restPort, int taskManagers, int slots, boolean highAvailability) {
        Optional<State> existing = running();
        if (existing.isPresent()) {
            throw new TapflowException("the local Flink cluster is already running at " + existing.get().restUrl()
                    + "; stop it first with 'tapflow cluster stop'");
        }
        LocalClusterSettings settings = LocalClusterSettings.of(dir, restPort).withTaskManagers(taskManagers, slots);
        settings = highAvailability ? settings.withHighAvailability() : settings;
        settings.restPorts().forEach(LocalCluster::requireFreePort);
        settings = JobJar.locate().onTaskManagerClassPath(settings);
        LocalFlinkCluster cluster;
        try {
            cluster = LocalFlinkCluster.start(settings);
        } catch (IllegalStateException e) {
            throw new TapflowException("the local Flink cluster did not start: " + e.getMessage(), e);
        }
        Map<Long, Instant> pids = new LinkedHashMap<>();
        // ZooKeeper last, so that 'cluster stop' stops it after the JobManagers.
        cluster.taskManagerPids().forEach(pid -> pids.put(pid, startOf(pid)));
        cluster.jobManagerPids().forEach(pid -> pids.put(pid, startOf(pid)));
        cluster.zooKeeperPid().ifPresent(pid -> pids.put(pid, startOf(pid)));
        State state = new State(settings.restPorts(), pids);
        try {
            write(state);
        } catch (TapflowException e) {
            cluster.close();
            throw e;
        }
        cluster.detach();
        return state;
    }

    /** Stops every process of the cluster (politely, then by force) and forgets it; returns false if none was running. */
    public boolean stop() {
        Optional<State> state = running();
        state.ifPresent(s -> s.alive().forEach(LocalCluster::stopProcess));
        try {
            Files.deleteIfExists(stateFile());
        } catch (IOException e) {
            throw new TapflowException("cannot remove " + stateFile() + ": " + e.getMessage(), e);
        }
        return state.isPresent();
    }

    private static void stopProcess(ProcessHandle p) {
        p.destroy();
        try {
            p.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        } catch (ExecutionException | TimeoutException notStoppedInTime) {
            p.destroyForcibly();
        }
    }

    private static void requireFreePort(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new TapflowException("port " + port + " is in use (another Flink or another program listens there); "
                    + "start the local cluster on another one with --port, or use that cluster with --flink http://localhost:" + port);
        }
    }

    private static Instant startOf(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().startInstant())
                .orElseThrow(() -> new TapflowException("the local Flink cluster process " + pid + " ended right after it started"));
    }

    private void write(State state) {
        Properties p = new Properties();
        p.setProperty("rest.ports", String.join(",", state.restPorts().stream().map(String::valueOf).toList()));
        p.setProperty("pids", String.join(",", state.pids().keySet().stream().map(String::valueOf).toList()));
        state.pids().forEach((pid, started) -> p.setProperty("started." + pid, started.toString()));
        try {
            OwnerOnlyFiles.create(stateFile());
        } catch (IOException e) {
            throw new TapflowException("cannot write " + stateFile() + ": " + e.getMessage(), e);
        }
        try (Writer w = Files.newBufferedWriter(stateFile())) {
            p.store(w, "local Flink cluster started by tapflow");
        } catch (IOException e) {
            throw new TapflowException("cannot write " + stateFile() + ": " + e.getMessage(), e);
        }
    }

    private Path stateFile() {
        return dir.resolve("cluster.properties");
    }
}
