package io.tapflow.flink.schema;

import io.tapflow.dsl.Step;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The source columns a pipeline drops before any step sees them: those its first steps exclude ({@code exclude_fields},
 * {@code exclude(...)}) or leave out of an include list ({@code include_fields}, {@code include(...)}), up to the first
 * other step. Such a column need not be read at all, so neither a type tapflow cannot read nor the cost of reading it
 * stands in the way.
 */
public final class DroppedColumns {
    private final Set<String> excluded = new HashSet<>();
    private Set<String> kept;

    private DroppedColumns(List<Step> steps) {
        for (Step step : steps) {
            if (step instanceof Step.ExcludeFields e) {
                excluded.addAll(e.fields());
            } else if (step instanceof Step.IncludeFields i) {
                kept = kept == null ? new HashSet<>(i.fields()) : kept;
                kept.retainAll(i.fields());
            } else {
                break;
            }
        }
    }

    public static DroppedColumns of(List<Step> steps) {
        return new DroppedColumns(steps);
    }

    /** Whether the column is dropped; a key column never is (the caller keeps the key). */
    public boolean drops(String column) {
        return excluded.contains(column) || kept != null && !kept.contains(column);
    }
}
