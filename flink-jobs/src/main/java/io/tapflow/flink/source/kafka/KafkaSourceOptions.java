package io.tapflow.flink.source.kafka;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.sink.OptionNumbers;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The options of a Kafka datasource used as a source, parsed and checked once. */
public record KafkaSourceOptions(String datasource, String bootstrapServers, String format, String opField,
                                 String startup, long startupTimestampMs, String groupId, int sampleSize,
                                 Map<String, String> declaredColumns)
        implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Option {@code columns} declares the columns of every topic; {@code columns.<topic>} those of one topic. */
    static final String COLUMNS = "columns";

    public KafkaSourceOptions {
        declaredColumns = Map.copyOf(declaredColumns);
    }

    public static KafkaSourceOptions of(DataSource ds, String pipeline) {
        List<String> problems = new ArrayList<>();
        String startup = ds.options().getOrDefault("scan.startup", "earliest");
        long timestamp = -1;
        if (startup.equals("timestamp")) {
            timestamp = OptionNumbers.positive(ds, "scan.startup.timestamp-ms", -1, problems);
            if (timestamp < 0 && problems.isEmpty()) {
                problems.add("option 'scan.startup' is 'timestamp' but 'scan.startup.timestamp-ms' is not set");
            }
        }
        int sample = (int) OptionNumbers.positive(ds, "sample-size", 100, problems);
        if (!problems.isEmpty()) {
            throw new TapflowException("Kafka datasource '" + ds.name() + "': " + String.join("; ", problems));
        }
        return new KafkaSourceOptions(ds.name(), ds.options().getOrDefault("bootstrap-servers", ""),
                ds.options().getOrDefault("format", "debezium-json"), ds.options().get("json.op-field"), startup, timestamp,
                ds.options().getOrDefault("group-id", "tapflow-" + pipeline), sample, declared(ds));
    }

    private static Map<String, String> declared(DataSource ds) {
        Map<String, String> declared = new TreeMap<>();
        ds.options().forEach((key, value) -> {
            if (key.equals(COLUMNS) || key.startsWith(COLUMNS + ".")) {
                declared.put(key, value);
            }
        });
        return declared;
    }

    /** The column declaration for a topic (its own, else the datasource's for every topic), or null. */
    String declaredColumns(String topic) {
        return declaredColumns.getOrDefault(COLUMNS + "." + topic, declaredColumns.get(COLUMNS));
    }

    /** The option that declares a topic's columns, for messages. */
    String declaringOption(String topic) {
        return declaredColumns.containsKey(COLUMNS + "." + topic) ? COLUMNS + "." + topic : COLUMNS;
    }

    public String where() {
        return "Kafka datasource '" + datasource + "' (" + bootstrapServers + ")";
    }
}
