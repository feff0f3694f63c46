package io.tapflow.flink.step;

import io.tapflow.dsl.FieldType;
import io.tapflow.flink.schema.Column;

/** The target column of a field a step gives a type, described as a MySQL column so every target maps it the usual way. */
public final class FieldTypeColumns {
    private FieldTypeColumns() {}

    public static Column of(String name, FieldType type) {
        return switch (type) {
            case STRING -> new Column(name, "text", "text", 65_535, -1, -1, true, false);
            case INTEGER, EPOCH_MILLIS -> new Column(name, "bigint", "bigint", -1, 19, 0, true, false);
            case DECIMAL -> new Column(name, "decimal", "decimal(38,10)", -1, 38, 10, true, false);
            case DOUBLE -> new Column(name, "double", "double", -1, 22, -1, true, false);
            case BOOLEAN -> new Column(name, "boolean", "boolean", -1, 1, -1, true, false);
            case DATE -> new Column(name, "date", "date", -1, -1, -1, true, false);
            case DATETIME -> new Column(name, "datetime", "datetime(6)", -1, 6, -1, true, false);
            case TIMESTAMP -> new Column(name, "timestamp", "timestamp(3)", -1, 3, -1, true, false);
        };
    }
}
