package io.tapflow.flink.job;

import io.tapflow.flink.event.RowLayouts;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;

/**
 * The row layouts of a plan, for the compact form change events take between tasks: each source table's columns and
 * key (looked-up tables' included: their rows cross to a lookup's router and join), and the columns and key the steps
 * leave for its target table (the rows that reach the sink).
 */
final class PlannedLayouts {
    private PlannedLayouts() {}

    static RowLayouts of(JobPlan plan) {
        RowLayouts.Builder layouts = RowLayouts.builder();
        for (JobPlan.Source source : java.util.stream.Stream.concat(plan.sources().stream(), plan.lookupSources().stream()).toList()) {
            for (TableSchema table : source.tables().tables()) {
                layouts.add(table.qualifiedName(), table.columns().stream().map(Column::name).toList());
                layouts.add(table.qualifiedName(), plan.pipeline().target().key().isEmpty()
                        ? table.primaryKey() : plan.pipeline().target().key());
            }
        }
        for (TargetTable target : plan.targetTables()) {
            layouts.add(target.sourceTable(), target.columnNames());
            layouts.add(target.sourceTable(), target.keyFields());
        }
        return layouts.build();
    }
}
