package io.tapflow.flink.step;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.TargetTable;
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
    private final Map<String, Set<String>> columnsBySourceTable = new HashMap<>();
    private final Map<String, String> targetBySourceTable = new HashMap<>();

    public PlannedColumnsStep(List<TargetTable> tables) {
        for (TargetTable t : tables) {
            columnsBySourceTable.put(t.sourceTable(), Set.copyOf(t.columnNames()));
            targetBySourceTable.put(t.sourceTable(), t.name());
        }
    }

    @Override
    public void apply(ChangeEvent event, Collector<ChangeEvent> out) {
        Set<String> columns = columnsBySourceTable.get(event.table());
        for (String field : event.latestRow().keySet()) {
            if (!columns.contains(field)) {
                throw new StepException("field '" + field + "' has no column in target table "
                        + targetBySourceTable.get(event.table()) + ", whose columns are " + columns.stream().sorted().toList()
                        + "; a UDF may only set planned columns here (add the field with addField first)", null);
            }
        }
        out.collect(event);
    }
}
