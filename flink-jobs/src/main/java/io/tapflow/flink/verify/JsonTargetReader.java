package io.tapflow.flink.verify;

import io.tapflow.flink.schema.TargetTable;

/**
 * A target that holds rows as JSON (Elasticsearch documents, Kafka messages): values are compared in the sinks' JSON
 * form ({@link JsonTargetValues}), and JSON columns as the text written, which such targets keep as it is.
 */
interface JsonTargetReader extends TargetReader {

    @Override
    default Object stored(TargetTable table, String column, Object value) {
        return JsonTargetValues.stored(table, column, value);
    }

    @Override
    default boolean isJson(TargetTable table, String column) {
        return false;
    }
}
