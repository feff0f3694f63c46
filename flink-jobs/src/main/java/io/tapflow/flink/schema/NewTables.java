package io.tapflow.flink.schema;

import java.io.Serializable;

/**
 * Plans the target table of a source table the job did not know when it was planned: a table created while the job
 * runs that the pipeline's table patterns select. Every operator that looks target tables up by source table plans
 * such a table itself (the same way, from the source's schema), so no operator depends on another's memory.
 */
public interface NewTables extends Serializable {
    /**
     * @return the target table of the source table ({@code database.table}), or null when the pipeline does not select it
     * @throws io.tapflow.dsl.TapflowException when the table is selected but cannot be planned (a step it breaks)
     */
    TargetTable plan(String sourceTable);
}
