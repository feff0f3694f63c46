package io.tapflow.servers;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * One server of each kind per JVM, started on first use and stopped when the JVM exits, so that the ITCases of all
 * modules share servers instead of each starting their own. Each honours its environment override; embedded ones
 * keep their files under {@code target/embedded-servers/} of the working directory. Callers must not close them.
 * Meant for test JVMs, which end with System.exit: the servers' non-daemon threads would keep a plain main() running.
 */
public final class SharedServers {

    private static final Shared<MariaDbServer> MARIADB =
            new Shared<>(() -> MariaDbServer.fromEnvironmentOrStart(directory("mariadb")));
    private static final Shared<PostgresServer> POSTGRES =
            new Shared<>(() -> PostgresServer.fromEnvironmentOrStart(directory("postgres")));
    private static final Shared<MongoTestServer> MONGO = new Shared<>(MongoTestServer::fromEnvironmentOrStart);
    private static final Shared<KafkaServer> KAFKA =
            new Shared<>(() -> KafkaServer.fromEnvironmentOrStart(directory("kafka")));
    private static final Shared<ElasticsearchServer> ELASTICSEARCH =
            new Shared<>(() -> ElasticsearchServer.fromEnvironmentOrStart(directory("elasticsearch")));

    private SharedServers() {
    }

    /** MariaDB with a row-based binlog, or the server named by {@value MariaDbServer#URL_VARIABLE}. */
    public static MariaDbServer mariaDb() {
        return MARIADB.get();
    }

    /** PostgreSQL with logical decoding, or the server named by {@value PostgresServer#URL_VARIABLE}. */
    public static PostgresServer postgres() {
        return POSTGRES.get();
    }

    /** The shared PostgreSQL if something started it already (nothing is started here). */
    public static java.util.Optional<PostgresServer> postgresIfStarted() {
        return POSTGRES.ifStarted();
    }

    /** The MongoDB emulator, or the server named by {@value MongoTestServer#URI_VARIABLE}. */
    public static MongoTestServer mongo() {
        return MONGO.get();
    }

    /** Kafka 3.9 (KRaft) in a child JVM, or the broker named by {@value KafkaServer#BOOTSTRAP_VARIABLE}. */
    public static KafkaServer kafka() {
        return KAFKA.get();
    }

    /** Elasticsearch 7.10.2 in a child JVM, or the cluster named by {@value ElasticsearchServer#URL_VARIABLE}. */
    public static ElasticsearchServer elasticsearch() {
        return ELASTICSEARCH.get();
    }

    /**
     * Maven runs tests with the module as working directory, so files land in its target/ and {@code mvn clean}
     * removes leftovers. The process id keeps JVMs that test the same module at once (IDE and Maven) apart.
     */
    private static Path directory(String name) {
        return Path.of("target", "embedded-servers", name + "-" + ProcessHandle.current().pid()).toAbsolutePath();
    }

    /** Starts a server once, on first use; the servers stop themselves when the JVM exits. */
    private static final class Shared<T> {

        private final Supplier<T> starter;
        private T server;

        Shared(Supplier<T> starter) {
            this.starter = starter;
        }

        synchronized java.util.Optional<T> ifStarted() {
            return java.util.Optional.ofNullable(server);
        }

        synchronized T get() {
            if (server == null) {
                server = starter.get();
            }
            return server;
        }
    }
}
