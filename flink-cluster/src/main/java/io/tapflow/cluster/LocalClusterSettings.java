package io.tapflow.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How to start a local session cluster: its directory (configuration, logs, checkpoints, savepoints, uploaded jars),
 * the REST/dashboard port, the TaskManagers and their slots, extra Flink configuration, extra environment variables
 * for the cluster processes (the job jar resolves {@code ${env:NAME}} references there), and whether it is highly
 * available: two JobManagers (the second's REST port is the next one) with ZooKeeper leader election.
 */
public record LocalClusterSettings(Path directory, int restPort, int taskManagers, int slotsPerTaskManager,
                                   Map<String, String> flinkConfig, Map<String, String> environment,
                                   boolean highAvailability) {
    public LocalClusterSettings {
        if (taskManagers < 1 || slotsPerTaskManager < 1) {
            throw new IllegalArgumentException("a cluster needs at least one TaskManager with one slot, got "
                    + taskManagers + " TaskManagers with " + slotsPerTaskManager + " slots");
        }
        directory = directory.toAbsolutePath();
        flinkConfig = Map.copyOf(flinkConfig);
        environment = Map.copyOf(environment);
    }

    public static LocalClusterSettings of(Path directory, int restPort) {
        return new LocalClusterSettings(directory, restPort, 1, 2, Map.of(), Map.of(), false);
    }

    public LocalClusterSettings withTaskManagers(int count, int slots) {
        return new LocalClusterSettings(directory, restPort, count, slots, flinkConfig, environment, highAvailability);
    }

    public LocalClusterSettings withFlinkConfig(String key, String value) {
        Map<String, String> copy = new TreeMap<>(flinkConfig);
        copy.put(key, value);
        return new LocalClusterSettings(directory, restPort, taskManagers, slotsPerTaskManager, copy, environment, highAvailability);
    }

    public LocalClusterSettings withEnvironment(Map<String, String> variables) {
        Map<String, String> copy = new TreeMap<>(environment);
        copy.putAll(variables);
        return new LocalClusterSettings(directory, restPort, taskManagers, slotsPerTaskManager, flinkConfig, copy, highAvailability);
    }

    public LocalClusterSettings withHighAvailability() {
        return new LocalClusterSettings(directory, restPort, taskManagers, slotsPerTaskManager, flinkConfig, environment, true);
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
