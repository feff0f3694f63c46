package io.tapflow.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;

/**
 * The configuration of a local session cluster: bound to 127.0.0.1, state and uploaded jars under the cluster's
 * directory (so they survive a restart of the cluster), fast failure detection and slots spread over TaskManagers.
 */
final class FlinkConfiguration {
    private FlinkConfiguration() {}

    /** @param zooKeeperPort the port of the cluster's ZooKeeper when it is highly available, else ignored */
    static Map<String, String> entries(LocalClusterSettings settings, int rpcPort, int zooKeeperPort) {
        Map<String, String> conf = new TreeMap<>();
        conf.put("jobmanager.rpc.address", "localhost");
        conf.put("jobmanager.rpc.port", String.valueOf(rpcPort));
        conf.put("jobmanager.bind-host", "127.0.0.1");
        conf.put("jobmanager.memory.process.size", "768m");
        conf.put("taskmanager.host", "localhost");
        conf.put("taskmanager.bind-host", "127.0.0.1");
        conf.put("taskmanager.numberOfTaskSlots", String.valueOf(settings.slotsPerTaskManager()));
        conf.put("taskmanager.memory.process.size", "1024m");
        conf.put("taskmanager.memory.managed.size", "128m");
        conf.put("rest.address", "localhost");
        conf.put("rest.bind-address", "127.0.0.1");
        conf.put("rest.port", String.valueOf(settings.restPort()));
        conf.put("web.upload.dir", settings.directory().resolve("jars").toString());
        conf.put("io.tmp.dirs", settings.directory().resolve("tmp").toString());
        conf.put("execution.checkpointing.dir", settings.checkpointDir().toUri().toString());
        conf.put("execution.checkpointing.savepoint-dir", settings.savepointDir().toUri().toString());
        // A killed TaskManager is noticed within seconds rather than the default 50 s.
        conf.put("heartbeat.interval", "2000");
        conf.put("heartbeat.timeout", "10000");
        conf.put("cluster.evenly-spread-out-slots", "true");
        // A cluster-level setting: a regional restart breaks tapflow's HybridSource after the snapshot (FlinkJobConfig).
        conf.put("jobmanager.execution.failover-strategy", "full");
        // The REST API serves metrics from a cache; refresh it often enough for a live 'tapflow monitor'.
        conf.put("metrics.fetcher.update-interval", "1000");
        if (!settings.taskManagerJars().isEmpty()) {
            // The jars on the TaskManagers' class path hold the jobs' own classes: a job loads them from there, once
            // per TaskManager, instead of from a class loader of its own (child-first by default).
            conf.put("classloader.resolve-order", "parent-first");
        }
        if (settings.highAvailability()) {
            // Leader election in ZooKeeper; job graphs and checkpoint metadata in a directory both JobManagers share,
            // so the standby takes the jobs over without a resubmission. Each JobManager's RPC port is then random.
            conf.put("high-availability.type", "zookeeper");
            conf.put("high-availability.zookeeper.quorum", "127.0.0.1:" + zooKeeperPort);
            conf.put("high-availability.storageDir", settings.highAvailabilityDir().toUri().toString());
            conf.put("high-availability.cluster-id", "/tapflow-local");
            // A dead leader's ZooKeeper session ends after this; the standby is elected then (default 60 s).
            conf.put("high-availability.zookeeper.client.session-timeout", "10000");
        }
        conf.putAll(settings.flinkConfig());
        return conf;
    }

    static Configuration toFlink(Map<String, String> entries) {
        return Configuration.fromMap(entries);
    }

    /** Flink 1.20's config.yaml accepts flat dotted keys; values are quoted so that none is read as a YAML type. */
    static void write(LocalClusterSettings settings, Map<String, String> entries) {
        String yaml = entries.entrySet().stream()
                .map(e -> e.getKey() + ": \"" + e.getValue().replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining("\n", "", "\n"));
        String log4j = String.join("\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = file",
                "appender.file.type = File",
                "appender.file.name = file",
                // Flink's dashboard shows the file named by log.file, so each process writes its own.
                "appender.file.fileName = ${sys:log.file}",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %c - %m%n",
                "logger.cdc.name = org.apache.flink.cdc",
                "logger.cdc.level = INFO",
                "logger.debezium.name = io.debezium",
                "logger.debezium.level = WARN",
                "");
        try {
            Files.createDirectories(settings.confDir());
            Files.createDirectories(settings.logDir());
            Files.createDirectories(settings.directory().resolve("tmp"));
            Files.writeString(settings.confDir().resolve("config.yaml"), yaml);
            Files.writeString(settings.confDir().resolve("log4j.properties"), log4j);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Flink configuration under " + settings.confDir(), e);
        }
    }
}
