package io.tapflow.dsl;

import static io.tapflow.dsl.OptionDef.choice;
import static io.tapflow.dsl.OptionDef.optional;
import static io.tapflow.dsl.OptionDef.required;
import static io.tapflow.dsl.OptionDef.secret;

import io.tapflow.dsl.ConnectorType.Role;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The datasource types tapflow knows and the options each takes. Validation and the CLI read them from here; the
 * Flink side registers one factory per identifier.
 */
public final class ConnectorTypes {
    private static final List<OptionDef> JDBC_COMMON = List.of(
            required("host", "server host name or address"),
            required("username", "user to connect as"),
            secret("password", false, "password of that user; may be ${env:NAME}"),
            required("database", "database (MySQL) or database name (PostgreSQL)"));

    public static final ConnectorType MYSQL = new ConnectorType("mysql", Set.of(Role.SOURCE, Role.TARGET),
            concat(JDBC_COMMON, List.of(
                    optional("port", "3306", "server port"),
                    optional("server-time-zone", null,
                            "time zone of the server's TIMESTAMP values; default: the server's current UTC offset"),
                    optional("server-id", null, "binlog client server id or range such as 5400-5404; default: random"),
                    optional("snapshot.chunk-size", "65536", "rows per snapshot split (a table with an integral key is read in ranges of about this many rows)"),
                    optional("snapshot.fetch-size", "4096", "rows a snapshot reader hands to the pipeline at a time"),
                    optional("poll-interval-ms", "50", "how long the change reader waits for a batch; lower means lower latency"),
                    choice("zero-date", "what a zero or invalid DATE/DATETIME/TIMESTAMP (year, month or day 0) becomes: "
                            + "null (written as NULL, counted and logged) or error (the job stops, naming table, column and row)",
                            "null", "error"))),
            "MySQL or MariaDB: snapshot then binlog CDC as a source; batched upsert/delete as a target");

    public static final ConnectorType POSTGRES = new ConnectorType("postgres", Set.of(Role.SOURCE, Role.TARGET),
            concat(JDBC_COMMON, List.of(
                    optional("port", "5432", "server port"),
                    optional("schema", "public", "schema that holds the tables"))),
            "PostgreSQL: snapshot then logical replication (pgoutput) as a source; batched upsert/delete as a target");

    public static final ConnectorType MONGODB = new ConnectorType("mongodb", Set.of(Role.TARGET),
            List.of(secret("uri", true, "connection string, e.g. mongodb://user:pw@host:27017; may be ${env:NAME}"),
                    required("database", "database that holds the target collections")),
            "MongoDB: bulk upsert/delete by key as a target");

    public static final ConnectorType ELASTICSEARCH = new ConnectorType("elasticsearch", Set.of(Role.TARGET),
            List.of(required("hosts", "one or more URLs, comma separated, e.g. http://localhost:9200"),
                    optional("username", null, "user for basic authentication"),
                    secret("password", false, "password of that user; may be ${env:NAME}"),
                    optional("tls.ca-file", null, "https hosts: PEM file of the CA that signed the cluster's certificate;"
                            + " default: the JVM's trusted CAs"),
                    optional("index-prefix", null, "put before every index name (none by default), e.g. 'shop_' writes table orders to index shop_orders"),
                    choice("write-mode", "index: write whole documents; update: partial update with doc_as_upsert,"
                            + " so several pipelines can each fill their own fields of one document", "index", "update"),
                    optional("bulk.max-actions", "1000", "most actions in one bulk request"),
                    optional("bulk.max-bytes", "5242880", "most bytes in one bulk request"),
                    choice("refresh", "refresh after each bulk request", "false", "true", "wait_for")),
            "Elasticsearch 7.x: one index per target table, bulk index/update/delete by key as a target");

    public static final ConnectorType KAFKA = new ConnectorType("kafka", Set.of(Role.SOURCE, Role.TARGET),
            List.of(required("bootstrap-servers", "brokers as host:port, comma separated"),
                    optional("topic", "{pipeline}.{database}.{table}",
                            "topic of each target table; {pipeline}, {database} and {table} are replaced"),
                    choice("format", "message format", "debezium-json", "json", "canal-json"),
                    optional("json.op-field", null, "format json only: add this field with the operation (c, u, d, r) to"
                            + " every message and send deletes as the old row with it, instead of tombstones"),
                    optional("partitions", "1", "partitions of the topics tapflow creates"),
                    optional("replication-factor", "1", "replication factor of the topics tapflow creates"),
                    optional("max-message-bytes", "1048576", "target: largest message (key and value) a row may become;"
                            + " topics tapflow creates allow it (max.message.bytes); a larger row fails the job naming it"),
                    choice("delivery", "at-least-once: flush at every checkpoint; exactly-once: Kafka transactions committed"
                            + " at every checkpoint", "at-least-once", "exactly-once"),
                    choice("scan.startup", "source: where a new pipeline starts reading",
                            "earliest", "latest", "group-offsets", "timestamp"),
                    optional("scan.startup.timestamp-ms", null, "source, scan.startup=timestamp: epoch milliseconds to start at"),
                    optional("group-id", null, "source: consumer group for committed offsets; default tapflow-<pipeline>"),
                    optional("sample-size", "100", "source: messages read per topic at planning time to learn its columns"),
                    optional("columns", null, "source: the columns of every topic, e.g. 'id bigint not null, price"
                            + " decimal(10,2), paid_at timestamp(6)', instead of inferring them from a sample"),
                    optional("columns.<topic>", null, "source: the columns of one topic, as for 'columns'")),
            "Kafka: topics of debezium-json, canal-json or json changes as a source; one topic per target table,"
                    + " messages keyed by the target key, as a target");

    private static final Map<String, ConnectorType> BY_NAME = byName();

    private ConnectorTypes() {}

    /** The type for an identifier or alias ("mariadb" is MySQL, "postgresql" is PostgreSQL, "mongo" is MongoDB, "es" is Elasticsearch). */
    public static Optional<ConnectorType> find(String identifier) {
        return identifier == null ? Optional.empty() : Optional.ofNullable(BY_NAME.get(identifier.toLowerCase()));
    }

    public static ConnectorType get(String identifier) {
        return find(identifier).orElseThrow(() -> new TapflowException(
                "unknown datasource type '" + identifier + "'; known types: " + String.join(", ", BY_NAME.keySet())));
    }

    public static List<ConnectorType> all() {
        return List.of(MYSQL, POSTGRES, MONGODB, ELASTICSEARCH, KAFKA);
    }

    /** Known identifiers and aliases, sorted, for error messages. */
    public static Set<String> names() {
        return BY_NAME.keySet();
    }

    private static Map<String, ConnectorType> byName() {
        Map<String, ConnectorType> map = new TreeMap<>();
        map.put("mysql", MYSQL);
        map.put("mariadb", MYSQL);
        map.put("postgres", POSTGRES);
        map.put("postgresql", POSTGRES);
        map.put("mongodb", MONGODB);
        map.put("mongo", MONGODB);
        map.put("elasticsearch", ELASTICSEARCH);
        map.put("es", ELASTICSEARCH);
        map.put("kafka", KAFKA);
        return java.util.Collections.unmodifiableMap(map);
    }

    private static List<OptionDef> concat(List<OptionDef> a, List<OptionDef> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
