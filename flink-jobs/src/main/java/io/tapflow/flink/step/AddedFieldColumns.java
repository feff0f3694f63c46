package io.tapflow.flink.step;

import io.tapflow.dsl.FieldType;
import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.Step;
import io.tapflow.flink.schema.Column;
import java.math.BigDecimal;

/** The column a step adds to the target, described as a MySQL column so every target maps it the usual way. */
public final class AddedFieldColumns {
    private AddedFieldColumns() {}

    public static Column of(Step.AddField step) {
        String name = step.field();
        if (step.value() instanceof FieldValue.Expression e) {
            return FieldTypeColumns.of(name, e.type());
        }
        if (step.value() instanceof FieldValue.ProcessingTime) {
            return FieldTypeColumns.of(name, FieldType.TIMESTAMP);
        }
        Object v = ((FieldValue.Constant) step.value()).value();
        if (v instanceof Long) {
            return FieldTypeColumns.of(name, FieldType.INTEGER);
        }
        if (v instanceof BigDecimal d) {
            int scale = Math.max(0, d.scale());
            return new Column(name, "decimal", "decimal(38," + scale + ")", -1, 38, scale, true, false);
        }
        if (v instanceof Boolean) {
            return FieldTypeColumns.of(name, FieldType.BOOLEAN);
        }
        return FieldTypeColumns.of(name, FieldType.STRING);
    }
}
