package io.tapflow.flink.verify;

import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One comparison per target table of a pipeline, with every source table that writes it, and what they share: a
 * reader per source datasource, the target reader and the pipeline's steps. Used by {@link Verifier} and by the
 * running job's {@link VerifySampler}; closing it closes the readers and the steps' guest code.
 */
final class VerifyTables implements AutoCloseable {
    private final Map<String, SourceReader> readers = new LinkedHashMap<>();
    private final TargetReader target;
    private final PipelineRows steps;
    private final Map<String, TableComparison> tables = new LinkedHashMap<>();

    private VerifyTables(JobPlan plan, VerifyOptions options) {
        boolean schemaless = ConnectorFactories.sink(plan.target().type()).acceptsUnplannedFields();
        this.target = VerifyReaders.target(plan.target(), plan.pipeline().name());
        PipelineRows rows = null;
        try {
            rows = new PipelineRows(plan.pipeline(), plan.targetTables(), schemaless, plan.lookupSources());
            plan.sources().forEach(s -> readers.put(s.datasource().name(), VerifyReaders.source(s.datasource())));
        } catch (RuntimeException e) {
            closeAll(rows, e);
            throw e;
        }
        this.steps = rows;
        Map<String, TargetTable> bySourceTable = TargetTable.bySourceTable(plan.targetTables());
        Map<String, List<SourcePart>> partsByTarget = new LinkedHashMap<>();
        Map<String, TargetTable> targets = new LinkedHashMap<>();
        for (JobPlan.Source source : plan.sources()) {
            for (TableSchema schema : source.tables().tables()) {
                TargetTable t = bySourceTable.get(schema.qualifiedName());
                targets.putIfAbsent(t.name(), t);
                partsByTarget.computeIfAbsent(t.name(), n -> new ArrayList<>()).add(SourcePart.of(
                        readers.get(source.datasource().name()), schema, plan.pipeline().steps(), t.keyFields()));
            }
        }
        targets.forEach((name, t) -> tables.put(name, new TableComparison(t, partsByTarget.get(name), steps, target, schemaless, options)));
    }

    static VerifyTables open(JobPlan plan, VerifyOptions options) {
        return new VerifyTables(plan, options);
    }

    List<TableComparison> all() {
        return List.copyOf(tables.values());
    }

    /** The comparison of this target table; null when the pipeline writes no such table. */
    TableComparison table(String targetTable) {
        return tables.get(targetTable);
    }

    TargetReader target() {
        return target;
    }

    @Override
    public void close() {
        closeAll(steps, null);
    }

    private void closeAll(PipelineRows rows, RuntimeException failure) {
        RuntimeException first = failure;
        for (AutoCloseable c : closeables(rows)) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null && failure == null) {
            throw first;
        }
    }

    private List<AutoCloseable> closeables(PipelineRows rows) {
        List<AutoCloseable> all = new ArrayList<>(readers.values());
        if (rows != null) {
            all.add(rows);
        }
        all.add(target);
        return all;
    }
}
