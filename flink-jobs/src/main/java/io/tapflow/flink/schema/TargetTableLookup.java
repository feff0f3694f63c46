package io.tapflow.flink.schema;

import io.tapflow.dsl.TapflowException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The target table of each source table: the planned ones, and those of tables created while the job runs, planned
 * by {@link NewTables} the first time one of their rows arrives (then remembered).
 */
public final class TargetTableLookup implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Map<String, TargetTable> bySourceTable;
    private final NewTables newTables;

    /** @param newTables plans tables created after planning; null when the pipeline names its tables */
    public TargetTableLookup(List<TargetTable> planned, NewTables newTables) {
        this.bySourceTable = new HashMap<>(TargetTable.bySourceTable(planned));
        this.newTables = newTables;
    }

    /** @throws TapflowException when the table is neither planned nor selected by the pipeline's patterns */
    public TargetTable of(String sourceTable) {
        TargetTable table = bySourceTable.get(sourceTable);
        if (table == null && newTables != null) {
            table = newTables.plan(sourceTable);
            if (table != null) {
                bySourceTable.put(sourceTable, table);
            }
        }
        if (table == null) {
            throw new TapflowException("no target table is planned for source table " + sourceTable + "; planned: "
                    + bySourceTable.keySet().stream().sorted().toList());
        }
        return table;
    }
}
