package io.tapflow.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How to start a local session cluster: its directory (configuration, logs, checkpoints, savepoints, uploaded jars),
 * the REST/dashboard port, the TaskManagers and their slots, extra Flink configuration, extra environment variables
 * for the cluster processes (the job jar resolves {@code ${env:NAME}} references there), whether it is highly
 * available: two JobManagers (the second's REST port is the next one) with ZooKeeper leader election, and jars for
 * the TaskManagers' class path (loaded before a job's own jar: see {@link #withTaskManagerJars}).
 */
public record LocalClusterSettings(Path directory, int restPort, int taskManagers, int slotsPerTaskManager,
                                   Map<String, String> flinkConfig, Map<String, String> environment,
                                   boolean highAvailability, List<Path> taskManagerJars) {
    public LocalClusterSettings {
        if (taskManagers < 1 || slotsPerTaskManager < 1) {
            throw new IllegalArgumentException("a cluster needs at least one TaskManager with one slot, got "
                    + taskManagers + " TaskManagers with " + slotsPerTaskManager + " slots");
        }
        directory = directory.toAbsolutePath();
        flinkConfig = Map.copyOf(flinkConfig);
        environment = Map.copyOf(environment);
        taskManagerJars = taskManagerJars.stream().map(Path::toAbsolutePath).toList();
    }

    public static LocalClusterSettings of(Path directory, int restPort) {
        return new LocalClusterSettings(directory, restPort, 1, 2, Map.of(), Map.of(), false, List.of());
    }

    public LocalClusterSettings withTaskManagers(int count, int slots) {
        return new LocalClusterSettings(directory, restPort, count, slots, flinkConfig, environment, highAvailability, taskManagerJars);
    }

    public LocalClusterSettings withFlinkConfig(String key, String value) {
        Map<String, String> copy = new TreeMap<>(flinkConfig);
        copy.put(key, value);
        return new LocalClusterSettings(directory, restPort, taskManagers, slotsPerTaskManager, copy, environment, highAvailability, taskManagerJars);
    }

    public LocalClusterSettings withEnvironment(Map<String, String> variables) {
        Map<String, String> copy = new TreeMap<>(environment);
        copy.putAll(variables);
        return new LocalClusterSettings(directory, restPort, taskManagers, slotsPerTaskManager, flinkConfig, copy, highAvailability, taskManagerJars);
    }

    public LocalClusterSettings withHighAvailability() {
        return new LocalClusterSettings(directory, restPort, taskManagers, slotsPerTaskManager, flinkConfig, environment, true, taskManagerJars);
    }

    /**
     * Puts these jars on every TaskManager's class path and makes the TaskManagers load classes parent-first, so a
     * job's classes found there come from them instead of the job's own jar: loaded and JIT-compiled once per
     * TaskManager rather than once per job and TaskManager. Only for jars that equal the jobs' own (a job would
     * otherwise run the class path's code); the caller guards that.
     */
    public LocalClusterSettings withTaskManagerJars(List<Path> jars) {
        return new LocalClusterSettings(directory, restPort, taskManagers, slotsPerTaskManager, flinkConfig, environment,
                highAvailability, jars);
    }

    /** The REST ports of the JobManagers: one, or two for a highly available cluster. */
    public List<Integer> restPorts() {
        return highAvailability ? List.of(restPort, restPort + 1) : List.of(restPort);
    }

    /** Where a highly available cluster keeps its job graphs and checkpoint metadata for the next leader. */
    public Path highAvailabilityDir() {
        return directory.resolve("ha");
    }

    public Path confDir() {
        return directory.resolve("conf");
    }

    public Path logDir() {
        return directory.resolve("log");
    }

    public Path checkpointDir() {
        return directory.resolve("checkpoints");
    }

    public Path savepointDir() {
        return directory.resolve("savepoints");
    }
}
