package io.tapflow.dsl;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How a pipeline runs: parallelism, how often it checkpoints (sinks flush at every checkpoint), what happens to rows
 * a step cannot process, the sandbox of UDF code, and what schema changes in the source do to the target.
 */
public record PipelineSettings(int parallelism, long checkpointIntervalMs, ErrorPolicy onError, UdfLimits udf,
                               @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = SchemaChangePolicy.DefaultFilter.class)
                               SchemaChangePolicy schemaChanges) {
    public static final PipelineSettings DEFAULTS = new PipelineSettings(1, 10_000, ErrorPolicy.FAIL, UdfLimits.DEFAULTS);

    public PipelineSettings {
        onError = onError == null ? ErrorPolicy.FAIL : onError;
        udf = udf == null ? UdfLimits.DEFAULTS : udf;
        schemaChanges = schemaChanges == null ? SchemaChangePolicy.LENIENT : schemaChanges;
    }

    /** With the default schema-change policy (lenient). */
    public PipelineSettings(int parallelism, long checkpointIntervalMs, ErrorPolicy onError, UdfLimits udf) {
        this(parallelism, checkpointIntervalMs, onError, udf, null);
    }

    public PipelineSettings withParallelism(int value) {
        return new PipelineSettings(value, checkpointIntervalMs, onError, udf, schemaChanges);
    }

    public PipelineSettings withCheckpointIntervalMs(long value) {
        return new PipelineSettings(parallelism, value, onError, udf, schemaChanges);
    }

    public PipelineSettings withOnError(ErrorPolicy value) {
        return new PipelineSettings(parallelism, checkpointIntervalMs, value, udf, schemaChanges);
    }

    public PipelineSettings withUdf(UdfLimits value) {
        return new PipelineSettings(parallelism, checkpointIntervalMs, onError, value, schemaChanges);
    }

    public PipelineSettings withSchemaChanges(SchemaChangePolicy value) {
        return new PipelineSettings(parallelism, checkpointIntervalMs, onError, udf, value);
    }
}
