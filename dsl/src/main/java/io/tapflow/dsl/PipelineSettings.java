package io.tapflow.dsl;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a pipeline runs: parallelism, how often it checkpoints (sinks flush at every checkpoint), what happens to rows
 * a step cannot process, the sandbox of UDF code, and how many changed keys per second the running job re-reads from
 * source and target to verify itself (option {@code verify.sample-per-second}; 0, the default, is off).
 */
public record PipelineSettings(int parallelism, long checkpointIntervalMs, ErrorPolicy onError, UdfLimits udf,
                               @JsonProperty("verify.sample-per-second") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
                               Integer verifySamplePerSecond) {
    public static final PipelineSettings DEFAULTS = new PipelineSettings(1, 10_000, ErrorPolicy.FAIL, UdfLimits.DEFAULTS, 0);
    /** Each sampled key costs three reads; more than this per second would load the source more than the job does. */
    public static final int MAX_VERIFY_SAMPLE_PER_SECOND = 1_000;

    public PipelineSettings {
        onError = onError == null ? ErrorPolicy.FAIL : onError;
        udf = udf == null ? UdfLimits.DEFAULTS : udf;
        // Boxed so that definitions written before the option existed read as off.
        verifySamplePerSecond = verifySamplePerSecond == null ? 0 : verifySamplePerSecond;
    }

    public PipelineSettings withParallelism(int value) {
        return new PipelineSettings(value, checkpointIntervalMs, onError, udf, verifySamplePerSecond);
    }

    public PipelineSettings withCheckpointIntervalMs(long value) {
        return new PipelineSettings(parallelism, value, onError, udf, verifySamplePerSecond);
    }

    public PipelineSettings withOnError(ErrorPolicy value) {
        return new PipelineSettings(parallelism, checkpointIntervalMs, value, udf, verifySamplePerSecond);
    }

    public PipelineSettings withUdf(UdfLimits value) {
        return new PipelineSettings(parallelism, checkpointIntervalMs, onError, value, verifySamplePerSecond);
    }

    public PipelineSettings withVerifySamplePerSecond(int value) {
        return new PipelineSettings(parallelism, checkpointIntervalMs, onError, udf, value);
    }
}
