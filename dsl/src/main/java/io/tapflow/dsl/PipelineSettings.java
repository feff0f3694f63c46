package io.tapflow.dsl;

/**
 * How a pipeline runs: parallelism, how often it checkpoints (sinks flush at every checkpoint), what happens to rows
 * a step cannot process, and the sandbox of UDF code.
 */
public record PipelineSettings(int parallelism, long checkpointIntervalMs, ErrorPolicy onError, UdfLimits udf) {
    public static final PipelineSettings DEFAULTS = new PipelineSettings(1, 10_000, ErrorPolicy.FAIL, UdfLimits.DEFAULTS);

    public PipelineSettings {
        onError = onError == null ? ErrorPolicy.FAIL : onError;
        udf = udf == null ? UdfLimits.DEFAULTS : udf;
    }

    public PipelineSettings withParallelism(int value) {
        return new PipelineSettings(value, checkpointIntervalMs, onError, udf);
    }

    public PipelineSettings withCheckpointIntervalMs(long value) {
        return new PipelineSettings(parallelism, value, onError, udf);
    }

    public PipelineSettings withOnError(ErrorPolicy value) {
        return new PipelineSettings(parallelism, checkpointIntervalMs, value, udf);
    }

    public PipelineSettings withUdf(UdfLimits value) {
        return new PipelineSettings(parallelism, checkpointIntervalMs, onError, value);
    }
}
