package io.tapflow.flink.job;

import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a row's values fit the column types the job knows: a widened source column shows here first. Made once per
 * table schema, it looks only at the columns whose type bounds a value (every row of a snapshot passes through it).
 */
final class ValueFit {
    /** What bounds a column's values: the length of a (var)char, the integer digits of a decimal, a signed int's range. */
    private enum Bound { TEXT_LENGTH, INTEGER_DIGITS, SIGNED_INT }

    private final TableSchema schema;
    private final String[] columns;
    private final Bound[] bounds;
    private final long[] limits;

    private ValueFit(TableSchema schema) {
        this.schema = schema;
        List<String> names = new ArrayList<>();
        List<Bound> kinds = new ArrayList<>();
        List<Long> limitList = new ArrayList<>();
        for (Column c : schema.columns()) {
            Bound bound = null;
            long limit = 0;
            if (c.length() > 0 && (c.dataType().equals("varchar") || c.dataType().equals("char"))) {
                bound = Bound.TEXT_LENGTH;
                limit = c.length();
            } else if (c.precision() > 0 && c.dataType().equals("decimal")) {
                bound = Bound.INTEGER_DIGITS;
                limit = c.precision() - Math.max(0, c.scale());
            } else if ((c.dataType().equals("int") || c.dataType().equals("mediumint")) && !c.unsigned()) {
                bound = Bound.SIGNED_INT;
            }
            if (bound != null) {
                names.add(c.name());
                kinds.add(bound);
                limitList.add(limit);
            }
        }
        this.columns = names.toArray(String[]::new);
        this.bounds = kinds.toArray(Bound[]::new);
        this.limits = limitList.stream().mapToLong(Long::longValue).toArray();
    }

    /** The check for this schema: {@code previous} again where it was made for the same schema object. */
    static ValueFit of(TableSchema schema, ValueFit previous) {
        return previous != null && previous.schema == schema ? previous : new ValueFit(schema);
    }

    boolean fits(Map<String, Object> row) {
        for (int i = 0; i < columns.length; i++) {
            Object v = row.get(columns[i]);
            boolean fits = switch (bounds[i]) {
                case TEXT_LENGTH -> !(v instanceof String s) || s.length() <= limits[i];
                case INTEGER_DIGITS -> !(v instanceof BigDecimal d) || d.precision() - d.scale() <= limits[i];
                case SIGNED_INT -> !(v instanceof Long);
            };
            if (!fits) {
                return false;
            }
        }
        return true;
    }
}
