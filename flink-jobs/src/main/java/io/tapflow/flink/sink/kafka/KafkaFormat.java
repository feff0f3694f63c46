package io.tapflow.flink.sink.kafka;

import io.tapflow.dsl.TapflowException;

/** The message formats of the Kafka target (the datasource option {@code format} has checked the spelling). */
public enum KafkaFormat {
    DEBEZIUM_JSON, JSON, CANAL_JSON;

    static KafkaFormat of(String option) {
        return switch (option) {
            case "debezium-json" -> DEBEZIUM_JSON;
            case "json" -> JSON;
            case "canal-json" -> CANAL_JSON;
            default -> throw new TapflowException("option 'format' is '" + option + "'; allowed: debezium-json, json, canal-json");
        };
    }

    String optionValue() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
