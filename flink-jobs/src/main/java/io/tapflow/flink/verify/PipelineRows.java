package io.tapflow.flink.verify;

import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.step.AddFieldFunction;
import io.tapflow.flink.step.PlannedColumnsStep;
import io.tapflow.flink.step.RowStep;
import io.tapflow.flink.step.RowSteps;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.util.ListCollector;

/**
 * What the pipeline makes of a source row: the row run through the pipeline's steps by the job's own step code
 * ({@link RowSteps}, {@link AddFieldFunction}, {@link PlannedColumnsStep}; UDFs on udf-runtime), as a snapshot row;
 * a lookup embeds the looked-up table's current matches ({@link LookupRows}).
 * A row a step fails on is counted, not expected in the target (the error policy skips or dead-letters it, or the job
 * stops on it).
 */
final class PipelineRows implements AutoCloseable {
    private final List<RowStep> steps = new ArrayList<>();
    private final Set<String> unreproducibleFields;
    private long failedRows;
    private String firstFailure;

    /** @param lookupSources the tables the pipeline's lookups read, each on its datasource */
    PipelineRows(Pipeline pipeline, List<TargetTable> tables, boolean targetAcceptsUnplannedFields,
                 List<JobPlan.Source> lookupSources) {
        LookupRows.requireSupported(pipeline);
        for (Step step : pipeline.steps()) {
            RowStep rowStep = step instanceof Step.Lookup lookup ? new LookupRows(lookup, lookupSources)
                    : RowSteps.of(step, pipeline.settings().udf());
            if (rowStep == null && step instanceof Step.AddField add) {
                AddFieldFunction function = new AddFieldFunction(add);
                rowStep = (event, out) -> out.collect(function.map(event));
            }
            if (rowStep != null) {
                steps.add(rowStep);
            }
        }
        if (RowSteps.hasUdf(pipeline.steps()) && !targetAcceptsUnplannedFields) {
            steps.add(new PlannedColumnsStep(tables));
        }
        this.unreproducibleFields = processingTimeFields(pipeline.steps());
        List<RowStep> opened = new ArrayList<>();
        try {
            for (RowStep s : steps) {
                s.open();
                opened.add(s);
            }
        } catch (RuntimeException e) {
            opened.forEach(RowStep::close);
            throw e;
        }
    }

    /** The target rows of one source row (none when a filter drops it or a step fails on it, several from a fan-out). */
    List<Map<String, Object>> apply(String sourceTable, Map<String, Object> row, List<String> keyColumns) {
        Map<String, Object> key = new LinkedHashMap<>();
        keyColumns.forEach(k -> key.put(k, row.get(k)));
        List<ChangeEvent> current = List.of(new ChangeEvent(Op.READ, sourceTable, key, null, row, System.currentTimeMillis()));
        try {
            for (RowStep step : steps) {
                List<ChangeEvent> next = new ArrayList<>(current.size());
                ListCollector<ChangeEvent> out = new ListCollector<>(next);
                for (ChangeEvent event : current) {
                    step.apply(event, out);
                }
                current = next;
            }
        } catch (TapflowException e) {
            failedRows++;
            if (firstFailure == null) {
                firstFailure = "row " + key + " of " + sourceTable + ": " + e.getMessage();
            }
            return List.of();
        }
        if (current.size() == 1) {
            return Collections.singletonList(current.get(0).after()); // one row in, one out: the common case, without a stream per row
        }
        List<Map<String, Object>> rows = new ArrayList<>(current.size());
        current.forEach(e -> rows.add(e.after()));
        return rows;
    }

    long failedRows() {
        return failedRows;
    }

    /** The first row a step failed on, with the reason; null when none did. */
    String firstFailure() {
        return firstFailure;
    }

    /** Fields set to the processing time: the job's value is the moment it wrote the row, which no re-run reproduces. */
    Set<String> unreproducibleFields() {
        return unreproducibleFields;
    }

    private static Set<String> processingTimeFields(List<Step> steps) {
        Set<String> fields = new LinkedHashSet<>();
        for (Step step : steps) {
            if (step instanceof Step.AddField add && add.value() instanceof FieldValue.ProcessingTime) {
                fields.add(add.field());
            } else if (step instanceof Step.RenameFields r) {
                Set<String> renamed = new LinkedHashSet<>();
                fields.forEach(f -> renamed.add(r.renames().getOrDefault(f, f)));
                fields = renamed;
            } else if (step instanceof Step.ExcludeFields e) {
                fields.removeAll(e.fields());
            }
        }
        return Set.copyOf(fields);
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (RowStep s : steps) {
            try {
                s.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
