package io.tapflow.dsl;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a pipeline runs: parallelism, how often it checkpoints (sinks flush at every checkpoint), what happens to rows
 * a step cannot process, the sandbox of UDF code, and how it restarts after a failure that may heal.
 */
public record PipelineSettings(int parallelism, long checkpointIntervalMs, ErrorPolicy onError, UdfLimits udf,
                               RestartPolicy restart) {
    public static final PipelineSettings DEFAULTS = new PipelineSettings(1, 10_000, ErrorPolicy.FAIL, UdfLimits.DEFAULTS,
            RestartPolicy.DEFAULT);

    public PipelineSettings {
        onError = onError == null ? ErrorPolicy.FAIL : onError;
        udf = udf == null ? UdfLimits.DEFAULTS : udf;
        // Definitions written before restart policies existed get the default.
        restart = restart == null ? RestartPolicy.DEFAULT : restart;
    }


    /** The JSON form: any field left out takes its default (a file may set only the checkpoint interval). */
    @JsonCreator
    static PipelineSettings fromJson(@JsonProperty("parallelism") Integer parallelism,
                                     @JsonProperty("checkpointIntervalMs") Long checkpointIntervalMs,
                                     @JsonProperty("onError") ErrorPolicy onError, @JsonProperty("udf") UdfLimits udf,
                                     @JsonProperty("restart") RestartPolicy restart) {
        return new PipelineSettings(parallelism == null ? DEFAULTS.parallelism : parallelism,
                checkpointIntervalMs == null ? DEFAULTS.checkpointIntervalMs : checkpointIntervalMs, onError, udf, restart);
    }

    public PipelineSettings withParallelism(int value) {
        return new PipelineSettings(value, checkpointIntervalMs, onError, udf, restart);
    }

    public PipelineSettings withCheckpointIntervalMs(long value) {
        return new PipelineSettings(parallelism, value, onError, udf, restart);
    }

    public PipelineSettings withOnError(ErrorPolicy value) {
        return new PipelineSettings(parallelism, checkpointIntervalMs, value, udf, restart);
    }

    public PipelineSettings withUdf(UdfLimits value) {
        return new PipelineSettings(parallelism, checkpointIntervalMs, onError, value, restart);
    }

    public PipelineSettings withRestart(RestartPolicy value) {
        return new PipelineSettings(parallelism, checkpointIntervalMs, onError, udf, value);
    }
}
