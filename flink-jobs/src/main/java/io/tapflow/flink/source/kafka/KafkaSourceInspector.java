package io.tapflow.flink.source.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.InvalidDefinitionException;
import io.tapflow.dsl.TapflowException;
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
 * from a sample of its first messages: the columns of their rows ({@link KafkaColumns}) and the key fields, which are
 * the pipeline's key, else the fields of the messages' JSON keys (debezium-json) or {@code pkNames} (canal-json).
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
            return new TableSchema(DATABASE, topic, KafkaColumns.infer(sample.rows()), List.copyOf(sample.keyFields()));
        }
    }

    /** The rows of a topic's first messages, and the key fields their message keys (or canal pkNames) name. */
    private record Sample(List<JsonNode> rows, Set<String> keyFields) {}

    private TableSchema sample(KafkaConsumer<byte[], byte[]> consumer, String topic, List<String> keyOverride,
                               List<String> problems) {
        Sample sample = read(consumer, topic);
        List<JsonNode> rows = sample.rows();
        Set<String> messageKeyFields = sample.keyFields();
        if (rows.isEmpty()) {
            problems.add("topic '" + topic + "' has no " + options.format() + " message to learn its columns from;"
                    + " write some first (tapflow infers a topic's columns from a sample of up to " + options.sampleSize()
                    + " messages)");
            return null;
        }
        List<Column> columns = KafkaColumns.infer(rows);
        List<String> key = keyOverride.isEmpty() ? List.copyOf(messageKeyFields) : keyOverride;
        if (key.isEmpty()) {
            problems.add("topic '" + topic + "': no key fields; " + (options.format().equals("json")
                    ? "format json needs the pipeline's key, e.g. .key(\"id\")" : "its messages have no JSON key; set the pipeline's key"));
            return null;
        }
        for (String field : key) {
            if (columns.stream().noneMatch(c -> c.name().equals(field))) {
                problems.add("topic '" + topic + "': key field '" + field + "' is in none of the sampled messages; fields: "
                        + columns.stream().map(Column::name).toList());
            }
        }
        return new TableSchema(DATABASE, topic, columns, key);
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
        long deadline = System.nanoTime() + SAMPLE_WAIT.toNanos();
        while (rows.size() < options.sampleSize() && System.nanoTime() < deadline
                && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                try {
                    for (KafkaMessageParser.Parsed change : parser.parse(r.key(), r.value(), r.timestamp())) {
                        rows.add(change.latest());
                    }
                    JsonNode key = KafkaMessageParser.keyObject(r.key());
                    if (key != null && messageKeyFields.isEmpty()) {
                        key.fieldNames().forEachRemaining(messageKeyFields::add);
                    }
                    if (options.format().equals("canal-json") && messageKeyFields.isEmpty() && r.value() != null) {
                        KafkaMessageParser.JSON.readTree(r.value()).path("pkNames").forEach(k -> messageKeyFields.add(k.asText()));
                    }
                } catch (TapflowException | java.io.IOException e) {
                    // A bad message is the job's business (error policy); the sample just leaves it out.
                }
            }
        }
        return new Sample(rows, messageKeyFields);
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
