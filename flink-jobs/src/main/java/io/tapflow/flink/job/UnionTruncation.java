package io.tapflow.flink.job;

import io.tapflow.dsl.FieldType;
import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.UdfLimits;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.schema.TruncateScope;
import io.tapflow.udf.GuestFunction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which rows of a union's target table came from one source table, for that table's TRUNCATE. Several source tables
 * write the target table, and a row's key does not say which; but an {@code add_field} step whose string value is an
 * expression of {@code table} alone (not of {@code record} or {@code op}), such as {@code table}, puts it into every
 * row. When that field reaches the target unchanged, and its value for the truncated table differs from its value for
 * every other writer, the TRUNCATE deletes the target rows holding that value; otherwise it is reported, not applied.
 */
final class UnionTruncation {
    private static final Pattern ROW_OR_OP = Pattern.compile("\\b(record|op)\\b");

    /** The rows to delete, or why none can be told apart (then {@code scope} is null). */
    record Decision(TruncateScope scope, String refusal) {}

    private UnionTruncation() {}

    /**
     * @param table   the truncated source table, as expressions see it ({@code database.table})
     * @param writers every source table that writes the target table, the truncated one included
     */
    static Decision decide(List<Step> steps, TargetTable target, String table, Collection<String> writers) {
        List<String> others = writers.stream().filter(w -> !w.equals(table)).distinct().sorted().toList();
        String written = "other source tables write " + target.name() + " too (" + String.join(", ", others) + ")";
        Step.AddField marker = marker(steps, target);
        if (marker == null) {
            return new Decision(null, written + ", and no field of its rows says which source table wrote them; to "
                    + "delete only this table's rows, add the source table as a field, e.g. addField(\"source_table\", "
                    + "expression(\"table\", FieldType.STRING)) (in a script add_field(name='source_table', expression='table', type='string'))");
        }
        String expression = ((FieldValue.Expression) marker.value()).expression();
        try (GuestFunction f = GuestFunction.javaScriptExpression(marker.id(), expression, false, UdfLimits.DEFAULTS)) {
            Object value = f.evaluate(Map.of(), "insert", table, marker.field());
            List<String> same = new ArrayList<>();
            for (String other : others) {
                if (Objects.equals(value, f.evaluate(Map.of(), "insert", other, marker.field()))) {
                    same.add(other);
                }
            }
            if (value == null || !same.isEmpty()) {
                return new Decision(null, written + ", and field '" + marker.field() + "' (" + expression + ") holds "
                        + (value == null ? "null" : "'" + value + "'") + " for " + (value == null ? table
                        : "its rows and those of " + String.join(", ", same)) + ", so their rows cannot be told apart");
            }
            return new Decision(new TruncateScope(marker.field(), value.toString()), null);
        } catch (RuntimeException e) {
            return new Decision(null, written + ", and field '" + marker.field() + "' (" + expression + ") could not be "
                    + "computed for it: " + e.getMessage());
        }
    }

    /**
     * The last step that sets a target column to a string computed from the table alone, if no later step changes
     * that column (UDFs may change any field, so one after it rules it out).
     */
    private static Step.AddField marker(List<Step> steps, TargetTable target) {
        Step.AddField found = null;
        for (Step step : steps) {
            if (step instanceof Step.AddField add && add.value() instanceof FieldValue.Expression e
                    && e.type() == FieldType.STRING && !ROW_OR_OP.matcher(e.expression()).find()
                    && e.expression().contains("table")) {
                found = add;
            } else if (found != null && changes(step, found.field())) {
                found = null;
            }
        }
        String field = found == null ? null : found.field();
        return field != null && target.columns().stream().map(Column::name).anyMatch(field::equals) ? found : null;
    }

    private static boolean changes(Step step, String field) {
        return step instanceof Step.AddField a && a.field().equals(field)
                || step instanceof Step.ChangeType c && c.field().equals(field)
                || step instanceof Step.ValueMap v && v.field().equals(field)
                || step instanceof Step.RenameFields r && (r.renames().containsKey(field) || r.renames().containsValue(field))
                || step instanceof Step.Unwind u && u.field().equals(field)
                || step instanceof Step.JsUdf || step instanceof Step.PyUdf || step instanceof Step.Lookup;
    }
}
