package io.tapflow.dsl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A pipeline definition, built as one fluent chain:
 * <pre>{@code
 * Pipeline.named("demo-job")
 *     .readFrom(mysql.table("customer"))
 *     .addField("updated", FieldValue.now())
 *     .writeTo(mongo.table("customer_v1"));
 * }</pre>
 * Immutable: each method returns a new pipeline. {@link PipelineValidator} turns it into a runnable {@link JobSpec}.
 */
public record Pipeline(String name, SourceSpec source, List<Step> steps, TargetSpec target, PipelineSettings settings) {

    public Pipeline {
        steps = steps == null ? List.of() : List.copyOf(steps);
        settings = settings == null ? PipelineSettings.DEFAULTS : settings;
    }

    public static Pipeline named(String name) {
        return new Pipeline(name, null, List.of(), null, PipelineSettings.DEFAULTS);
    }

    /** Reads these tables; they must belong to one datasource. */
    public Pipeline readFrom(TableRef... tables) {
        if (tables.length == 0) {
            throw new TapflowException("pipeline '" + name + "': readFrom needs at least one table");
        }
        String datasource = tables[0].datasource();
        for (TableRef t : tables) {
            if (!t.datasource().equals(datasource)) {
                throw new TapflowException("pipeline '" + name + "': readFrom tables must come from one datasource, got '"
                        + datasource + "' and '" + t.datasource() + "'");
            }
        }
        return new Pipeline(name, new SourceSpec(datasource, Arrays.stream(tables).map(TableRef::table).toList()),
                steps, target, settings);
    }

    public Pipeline addField(String field, FieldValue value) {
        return withStep(new Step.AddField(field, value));
    }

    public Pipeline withStep(Step step) {
        List<Step> next = new ArrayList<>(steps);
        next.add(step);
        return new Pipeline(name, source, next, target, settings);
    }

    /** Writes every source table into this one table. */
    public Pipeline writeTo(TableRef table) {
        return new Pipeline(name, source, steps, new TargetSpec(table.datasource(), table.table(), keyOrEmpty()), settings);
    }

    /** Writes each source table into a table of the same name in this datasource. */
    public Pipeline writeTo(DataSource datasource) {
        return new Pipeline(name, source, steps, new TargetSpec(datasource.name(), null, keyOrEmpty()), settings);
    }

    /** Names the fields that identify a target row, instead of the source primary key. Call after writeTo. */
    public Pipeline key(String... fields) {
        if (target == null) {
            throw new TapflowException("pipeline '" + name + "': call key(...) after writeTo(...)");
        }
        return new Pipeline(name, source, steps, new TargetSpec(target.datasource(), target.table(), List.of(fields)), settings);
    }

    public Pipeline parallelism(int parallelism) {
        return new Pipeline(name, source, steps, target, settings.withParallelism(parallelism));
    }

    public Pipeline checkpointInterval(Duration interval) {
        return new Pipeline(name, source, steps, target, settings.withCheckpointIntervalMs(interval.toMillis()));
    }

    private List<String> keyOrEmpty() {
        return target == null ? List.of() : target.key();
    }
}
