package io.tapflow.flink.job;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.connector.SourceTables;
import io.tapflow.flink.schema.TargetTable;
import java.util.List;

/**
 * A pipeline checked against the real sources and target, ready to translate: datasources with their env references
 * resolved, each source with its tables' schemas (in the pipeline's order of sources), the planned target tables (one
 * per source table name), and the resolved dead-letter datasource (null unless the pipeline's error policy is
 * dead-letter). {@code lookupSources} holds the tables the pipeline's lookups read, one entry per datasource, nested
 * lookups included; their rows are read by the sources but never reach the target on their own.
 */
public record JobPlan(Pipeline pipeline, List<Source> sources, DataSource target, List<TargetTable> targetTables,
                      List<String> createdTargetTables, DataSource deadLetterTarget, List<Source> lookupSources) {
    public JobPlan {
        sources = List.copyOf(sources);
        targetTables = List.copyOf(targetTables);
        createdTargetTables = List.copyOf(createdTargetTables);
        lookupSources = List.copyOf(lookupSources);
    }

    /** A plan without lookups. */
    public JobPlan(Pipeline pipeline, List<Source> sources, DataSource target, List<TargetTable> targetTables,
                   List<String> createdTargetTables, DataSource deadLetterTarget) {
        this(pipeline, sources, target, targetTables, createdTargetTables, deadLetterTarget, List.of());
    }

    /**
     * For the user, one line per source whose tables patterns select: which tables they matched, e.g.
     * {@code source 'src': 2 tables match shop\.order_.*: shop.order_1, shop.order_2}; and a line more when tables
     * created later will not be picked up while the job runs, saying what the source's user lacks.
     */
    public List<String> matchedTables() {
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            io.tapflow.dsl.SourceSpec spec = pipeline.sources().get(i);
            if (spec.hasPatterns()) {
                List<String> names = sources.get(i).tables().tables().stream().map(t -> t.qualifiedName()).toList();
                lines.add("source '" + spec.datasource() + "': " + names.size() + " table" + (names.size() == 1 ? "" : "s")
                        + " match " + String.join(", ", spec.include())
                        + (spec.exclude().isEmpty() ? "" : " (leaving out " + String.join(", ", spec.exclude()) + ")")
                        + ": " + String.join(", ", names));
                String limit = sources.get(i).tables().newTablesLimit();
                if (limit != null) {
                    lines.add("source '" + spec.datasource() + "': " + limit);
                }
            }
        }
        return lines;
    }

    /**
     * One source datasource of the plan and what inspecting it found.
     *
     * @param query the SELECT read once instead of the tables (then {@code tables} describes its result), or null
     */
    public record Source(DataSource datasource, SourceTables tables, String query) {
        public Source(DataSource datasource, SourceTables tables) {
            this(datasource, tables, null);
        }
    }
}
