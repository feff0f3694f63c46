package io.tapflow.flink.job;

import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import java.math.BigDecimal;
import java.util.Map;

/** Whether a row's values fit the column types the job knows: a widened source column shows here first. */
final class ValueFit {
    private ValueFit() {}

    static boolean fits(Map<String, Object> row, TableSchema schema) {
        for (Column c : schema.columns()) {
            Object v = row.get(c.name());
            if (v instanceof String s && c.length() > 0 && s.length() > c.length()
                    && (c.dataType().equals("varchar") || c.dataType().equals("char"))) {
                return false;
            }
            if (v instanceof BigDecimal d && c.precision() > 0 && c.dataType().equals("decimal")
                    && d.precision() - d.scale() > c.precision() - Math.max(0, c.scale())) {
                return false;
            }
            if (v instanceof Long && (c.dataType().equals("int") || c.dataType().equals("mediumint")) && !c.unsigned()) {
                return false;
            }
        }
        return true;
    }
}
