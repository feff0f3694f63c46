package io.tapflow.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * A Kafka 3.9 broker in KRaft mode (broker and controller in one process), run as a child JVM from the
 * {@code tapflow-kafka-runtime} classpath; or an external one named by {@value #BOOTSTRAP_VARIABLE}.
 */
public final class KafkaServer extends ChildJvmServer {

    /** Names an external broker as {@code host:port[,host:port...]}, without authentication. */
    public static final String BOOTSTRAP_VARIABLE = "TAPFLOW_TEST_KAFKA_BOOTSTRAP";

    private static final String CLASSPATH_RESOURCE = "io/tapflow/servers/kafka/classpath.txt";
    private static final String LOOPBACK = "127.0.0.1";

    private final String bootstrapServers;

    private KafkaServer(String bootstrapServers, ChildJvm jvm, Path directory) {
        super("Kafka at " + bootstrapServers, jvm, directory);
        this.bootstrapServers = bootstrapServers;
    }

    /** Formats a fresh log directory under {@code directory} and starts a broker on free loopback ports. */
    public static KafkaServer start(Path directory) {
        Path root = directory.toAbsolutePath();
        Directories.deleteRecursively(root);
        int brokerPort = FreePorts.pick();
        int controllerPort = FreePorts.pick();
        Path config = root.resolve("server.properties");
        write(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + LOOPBACK + ":" + controllerPort,
                "listeners=PLAINTEXT://" + LOOPBACK + ":" + brokerPort + ",CONTROLLER://" + LOOPBACK + ":" + controllerPort,
                "advertised.listeners=PLAINTEXT://" + LOOPBACK + ":" + brokerPort,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + root.resolve("data"),
                // One broker: the internal topics cannot have more replicas.
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=4",
                "group.initial.rebalance.delay.ms=0",
                // Targets must create their topics themselves, as on a production broker that forbids auto-creation.
                "auto.create.topics.enable=false",
                "num.partitions=1",
                "") );
        String classpath = ChildJvm.classpath(CLASSPATH_RESOURCE);
        try {
            ChildJvm.run("Kafka storage format", classpath, "kafka.tools.StorageTool",
                    List.of("format", "-t", clusterId(), "-c", config.toString()), root.resolve("format.log"), 60);
            ChildJvm jvm = ChildJvm.start("Kafka", classpath,
                    List.of("-Xmx512m", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info"),
                    "kafka.Kafka", List.of(config.toString()), root.resolve("kafka.log"), "Kafka Server started", 120);
            return new KafkaServer(LOOPBACK + ":" + brokerPort, jvm, root);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Kafka did not start in " + root + ": " + e.getMessage(), e);
        }
    }

    /** Returns the broker named by {@value #BOOTSTRAP_VARIABLE}, or else starts one under {@code directory}. */
    public static KafkaServer fromEnvironmentOrStart(Path directory) {
        String bootstrap = System.getenv(BOOTSTRAP_VARIABLE);
        if (bootstrap != null && !bootstrap.isBlank()) {
            return new KafkaServer(bootstrap.strip(), null, null);
        }
        return start(directory);
    }

    /**
     * A KRaft cluster id: 16 random bytes, URL-safe base64 without padding, as Kafka's own Uuid prints them; like
     * Kafka's, never starting with '-', which the storage tool would read as an option.
     */
    private static String clusterId() {
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[16];
        String id;
        do {
            random.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (id.startsWith("-"));
        return id;
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }

    /** {@code host:port} of the broker, for a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }
}
