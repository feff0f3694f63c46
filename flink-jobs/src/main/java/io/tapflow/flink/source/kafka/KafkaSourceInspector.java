package io.tapflow.flink.source.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.InvalidDefinitionException;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Plans a Kafka source: expands {@code regex:} table names into the topics they match, and gives each topic a schema
 * from a sample of its first messages: the columns (from the Connect schema the messages carry, else declared in the
 * datasource, else inferred from their rows by {@link KafkaColumns}) and the key fields, which are the pipeline's
 * key, else the fields of the messages' JSON keys (debezium-json) or {@code pkNames} (canal-json).
 * Each topic is a table named after it in database {@value #DATABASE}.
 */
public final class KafkaSourceInspector {
    /** The database name of every topic's table: events name tables database.table. */
    public static final String DATABASE = "kafka";
    /** Table names starting with this are regular expressions over the topic names. */
    public static final String REGEX_PREFIX = "regex:";
    private static final Duration SAMPLE_WAIT = Duration.ofSeconds(5);


    private final KafkaSourceOptions options;

    public KafkaSourceInspector(DataSource resolvedDataSource) {

        this.options = KafkaSourceOptions.of(resolvedDataSource, "inspect");
    }

    /** The names of the topics the table names stand for: themselves, or the topics a {@code regex:} name matches. */
    public List<String> topics(List<String> tables, Set<String> existing, List<String> problems) {
        Set<String> topics = new LinkedHashSet<>();
        for (String table : tables) {
            if (table.startsWith(REGEX_PREFIX)) {
                String regex = table.substring(REGEX_PREFIX.length());
                try {
                    Pattern pattern = Pattern.compile(regex);
                    List<String> matched = existing.stream().filter(t -> pattern.matcher(t).matches()).toList();
                    if (matched.isEmpty()) {
                        problems.add("topic regex '" + regex + "' matches no topic; topics: " + String.join(", ", existing));
                    }
                    topics.addAll(matched);
                } catch (PatternSyntaxException e) {
                    problems.add("topic regex '" + regex + "' is not a regular expression: " + e.getDescription());
                }
            } else if (!existing.contains(table)) {
                problems.add("no topic '" + table + "'; topics: " + String.join(", ", existing));
            } else {
                topics.add(table);
            }
        }
        return List.copyOf(topics);
    }

    public List<TableSchema> inspect(List<String> tables, List<String> keyOverride) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(options.bootstrapServers())) {
            Set<String> existing = listTopics(consumer, options.where());
            List<String> problems = new ArrayList<>();
            List<TableSchema> schemas = new ArrayList<>();
            for (String topic : topics(tables, existing, problems)) {
                TableSchema schema = sample(consumer, topic, keyOverride, problems);
                if (schema != null) {
                    schemas.add(schema);
                }
            }
            if (!problems.isEmpty()) {
                throw new InvalidDefinitionException(options.where(), problems);
            }
            return schemas;
        }
    }

    /** The topics of the cluster, internal ones left out, sorted. */
    public static Set<String> listTopics(KafkaConsumer<byte[], byte[]> consumer, String where) {
        Map<String, List<PartitionInfo>> topics;
        try {
            topics = consumer.listTopics(Duration.ofSeconds(10));
        } catch (TimeoutException e) {
            throw new TapflowException(where + ": no answer from the brokers within 10 s; check that Kafka runs and that"
                    + " bootstrap-servers is right", e);
        }
        Set<String> names = new TreeSet<>(topics.keySet());
        names.removeIf(t -> t.startsWith("__"));
        return names;
    }

    /** The topic's columns and the key its messages suggest (possibly none), without checks; for the shell's desc. */
    public TableSchema describe(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(options.bootstrapServers())) {
            if (!listTopics(consumer, options.where()).contains(topic)) {
                throw new TapflowException(options.where() + ": no topic '" + topic + "'");
            }
            Sample sample = read(consumer, topic);
            List<String> problems = new ArrayList<>();
            List<Column> columns = columns(topic, sample, problems);
            if (!problems.isEmpty()) {
                throw new InvalidDefinitionException(options.where(), problems);
            }
            return new TableSchema(DATABASE, topic, columns, List.copyOf(sample.keyFields()));
        }
    }

    /**
     * The rows of a topic's first messages, the key fields their message keys (or canal pkNames) name, and the row
     * schema of the first message in Kafka Connect's envelope (null when none has one).
     */
    private record Sample(List<JsonNode> rows, Set<String> keyFields, JsonNode rowSchema) {}

    /**
     * A topic's columns: from the Connect schema its messages carry, else declared in the datasource, else inferred
     * from the sampled rows. A declaration for a topic whose messages carry a schema is refused rather than ignored.
     */
    private List<Column> columns(String topic, Sample sample, List<String> problems) {
        String declared = options.declaredColumns(topic);
        if (sample.rowSchema() != null) {
            if (declared != null) {
                problems.add("topic '" + topic + "': its messages carry a Debezium/Connect schema, which gives its columns;"
                        + " remove option '" + options.declaringOption(topic) + "'");
            }
            return ConnectSchemaRows.columns(sample.rowSchema());
        }
        if (declared != null) {
            List<String> declarationProblems = new ArrayList<>();
            List<Column> columns = KafkaColumnDeclarations.parse(declared, declarationProblems);
            declarationProblems.forEach(p -> problems.add("option '" + options.declaringOption(topic) + "': " + p));
            return columns;
        }
        return KafkaColumns.infer(sample.rows());
    }

    private TableSchema sample(KafkaConsumer<byte[], byte[]> consumer, String topic, List<String> keyOverride,
                               List<String> problems) {
        Sample sample = read(consumer, topic);
        List<JsonNode> rows = sample.rows();
        Set<String> messageKeyFields = sample.keyFields();
        boolean declared = options.declaredColumns(topic) != null;
        if (rows.isEmpty() && !declared) {
            problems.add("topic '" + topic + "' has no " + options.format() + " message to learn its columns from;"
                    + " write some first (tapflow infers a topic's columns from a sample of up to " + options.sampleSize()
                    + " messages)");
            return null;
        }
        int before = problems.size();
        List<Column> columns = columns(topic, sample, problems);
        if (problems.size() > before) {
            return null;
        }
        List<String> key = keyOverride.isEmpty() ? List.copyOf(messageKeyFields) : keyOverride;
        if (key.isEmpty()) {
            problems.add("topic '" + topic + "': no key fields; " + (options.format().equals("json")
                    ? "format json needs the pipeline's key, e.g. .key(\"id\")" : "its messages have no JSON key; set the pipeline's key"));
            return null;
        }
        for (String field : key) {
            if (columns.stream().noneMatch(c -> c.name().equals(field))) {
                problems.add("topic '" + topic + "': key field '" + field + "' is not a column; columns: "
                        + columns.stream().map(Column::name).toList());
            }
        }
        // A message without a value in a key field is an error of that row (KafkaChangeDeserializer), so key
        // columns never hold NULL.
        List<Column> keyed = columns.stream().map(c -> key.contains(c.name()) ? new Column(c.name(), c.dataType(),
                c.columnType(), c.length(), c.precision(), c.scale(), false, c.unsigned()) : c).toList();
        return new TableSchema(DATABASE, topic, keyed, key);
    }

    private Sample read(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        KafkaMessageParser parser = new KafkaMessageParser(options.format(), options.opField());
        List<JsonNode> rows = new ArrayList<>();
        Set<String> messageKeyFields = new LinkedHashSet<>();
        JsonNode rowSchema = null;
        long deadline = System.nanoTime() + SAMPLE_WAIT.toNanos();
        while (rows.size() < options.sampleSize() && System.nanoTime() < deadline
                && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                try {
                    for (KafkaMessageParser.Parsed change : parser.parse(r.key(), r.value(), r.timestamp())) {
                        if (change.op() != Op.TRUNCATE) {
                            rows.add(change.latest());
                        }
                    }
                    JsonNode key = KafkaMessageParser.keyObject(r.key());
                    if (key != null && messageKeyFields.isEmpty()) {
                        key.fieldNames().forEachRemaining(messageKeyFields::add);
                    }
                    if (rowSchema == null && r.value() != null) {
                        rowSchema = parser.rowSchema(KafkaMessageParser.JSON.readTree(r.value()));
                    }
                    if (options.format().equals("canal-json") && messageKeyFields.isEmpty() && r.value() != null) {
                        KafkaMessageParser.JSON.readTree(r.value()).path("pkNames").forEach(k -> messageKeyFields.add(k.asText()));
                    }
                } catch (TapflowException | java.io.IOException e) {
                    // A bad message is the job's business (error policy); the sample just leaves it out.
                }
            }
        }
        return new Sample(rows, messageKeyFields, rowSchema);
    }

    static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

}
