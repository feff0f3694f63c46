package io.tapflow.flink.step;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.schema.TargetTableLookup;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.util.Collector;

/**
 * Rejects rows with fields the target table has no column for, where the target's tables have fixed columns (SQL).
 * Runs after UDFs, which may add fields planning cannot see; without it the sink would leave such fields out silently.
 */
public final class PlannedColumnsStep implements RowStep {
    private static final long serialVersionUID = 1L;
    private final TargetTableLookup targets;
    private final Map<String, Set<String>> columnsBySourceTable = new HashMap<>();

    public PlannedColumnsStep(List<TargetTable> tables) {
        this(new TargetTableLookup(tables, null));
    }

    /** With the target tables of tables created while the job runs too. */
    public PlannedColumnsStep(TargetTableLookup targets) {
        this.targets = targets;
    }

    @Override
    public void apply(ChangeEvent event, Collector<ChangeEvent> out) {
        Set<String> columns = columnsBySourceTable.computeIfAbsent(event.table(),
                t -> Set.copyOf(targets.of(t).columnNames()));
        for (String field : event.latestRow().keySet()) {
            if (!columns.contains(field)) {
                throw new StepException("field '" + field + "' has no column in target table "
                        + targets.of(event.table()).name() + ", whose columns are " + columns.stream().sorted().toList()
                        + "; a UDF may only set planned columns here (add the field with addField first)", null);
            }
        }
        out.collect(event);
    }
}
