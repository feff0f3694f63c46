package io.tapflow.flink.sink.kafka;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.sink.OptionNumbers;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The options of a Kafka datasource used as a target, parsed and checked once; bad values are reported together. */
public record KafkaTargetOptions(String datasource, String bootstrapServers, String topicPattern, KafkaFormat format,
                                 String opField, int partitions, short replicationFactor, boolean exactlyOnce,
                                 int maxMessageBytes)
        implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String DEFAULT_TOPIC = "{pipeline}.{database}.{table}";
    /** Kafka's own default limit of a message (producer max.request.size). */
    static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
    /** Room for the record batch's headers above a message of maxMessageBytes, in the producer's and topic's limits. */
    static final int BATCH_OVERHEAD_BYTES = 4096;

    public static KafkaTargetOptions of(DataSource ds) {
        List<String> problems = new ArrayList<>();
        String bootstrap = ds.options().getOrDefault("bootstrap-servers", "").strip();
        for (String server : bootstrap.split(",")) {
            if (!server.strip().matches("[^:/\\s]+:\\d{1,5}")) {
                problems.add("option 'bootstrap-servers': '" + server.strip() + "' is not host:port");
            }
        }
        KafkaFormat format = KafkaFormat.of(ds.options().getOrDefault("format", "debezium-json"));
        String opField = ds.options().get("json.op-field");
        if (opField != null && format != KafkaFormat.JSON) {
            problems.add("option 'json.op-field' applies to format json only, not " + format.optionValue());
        }
        int partitions = (int) OptionNumbers.positive(ds, "partitions", 1, problems);
        short replication = (short) Math.min(OptionNumbers.positive(ds, "replication-factor", 1, problems), Short.MAX_VALUE);
        long maxMessage = OptionNumbers.positive(ds, "max-message-bytes", DEFAULT_MAX_MESSAGE_BYTES, problems);
        if (maxMessage > Integer.MAX_VALUE - BATCH_OVERHEAD_BYTES) {
            problems.add("option 'max-message-bytes' is " + maxMessage + "; at most " + (Integer.MAX_VALUE - BATCH_OVERHEAD_BYTES));
        }
        String delivery = ds.options().getOrDefault("delivery", "at-least-once").toLowerCase(Locale.ROOT);
        if (!problems.isEmpty()) {
            throw new TapflowException("Kafka datasource '" + ds.name() + "': " + String.join("; ", problems));
        }
        return new KafkaTargetOptions(ds.name(), bootstrap, ds.options().getOrDefault("topic", DEFAULT_TOPIC), format,
                opField, partitions, replication, delivery.equals("exactly-once"), (int) maxMessage);
    }

    /** For messages: the datasource and its brokers. */
    public String where() {
        return "Kafka datasource '" + datasource + "' (" + bootstrapServers + ")";
    }
}
