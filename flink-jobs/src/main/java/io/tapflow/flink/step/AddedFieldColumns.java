package io.tapflow.flink.step;

import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.Step;
import io.tapflow.flink.schema.Column;
import java.math.BigDecimal;

/** The column a step adds to the target, described as a MySQL column so every target maps it the usual way. */
public final class AddedFieldColumns {
    private AddedFieldColumns() {}

    public static Column of(Step.AddField step) {
        String name = step.field();
        if (step.value() instanceof FieldValue.ProcessingTime) {
            return new Column(name, "timestamp", "timestamp(3)", -1, 3, -1, true, false);
        }
        Object v = ((FieldValue.Constant) step.value()).value();
        if (v instanceof Long) {
            return new Column(name, "bigint", "bigint", -1, 19, 0, true, false);
        }
        if (v instanceof BigDecimal d) {
            int scale = Math.max(0, d.scale());
            return new Column(name, "decimal", "decimal(38," + scale + ")", -1, 38, scale, true, false);
        }
        if (v instanceof Boolean) {
            return new Column(name, "boolean", "boolean", -1, 1, -1, true, false);
        }
        return new Column(name, "text", "text", 65_535, -1, -1, true, false);
    }
}
