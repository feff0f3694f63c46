package io.tapflow.flink.sink.kafka;

import io.tapflow.flink.schema.TargetTable;
import java.util.regex.Pattern;

/** Topic names from the {@code topic} pattern: {@code {pipeline}}, {@code {database}} and {@code {table}} replaced. */
public final class KafkaTopics {
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private KafkaTopics() {}

    /** The topic of a target table; {@code {database}} is the database of its (first) source table. */
    public static String of(String pattern, String pipeline, TargetTable table) {
        int dot = table.sourceTable().indexOf('.');
        String database = dot < 0 ? "" : table.sourceTable().substring(0, dot);
        return pattern.replace("{pipeline}", pipeline).replace("{database}", database).replace("{table}", table.name());
    }

    /** Why Kafka would refuse the name, or null when it is legal. */
    static String problem(String topic) {
        if (!LEGAL.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            return "topic name '" + topic + "' is not allowed by Kafka: 1 to 249 characters of a-z A-Z 0-9 . _ -";
        }
        return null;
    }
}
