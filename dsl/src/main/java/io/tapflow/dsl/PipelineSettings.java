package io.tapflow.dsl;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a pipeline runs: parallelism, how often it checkpoints (sinks flush at every checkpoint), what happens to rows
 * a step cannot process, the sandbox of UDF code, how it restarts after a failure that may heal, how many changed
 * keys per second the running job re-reads from source and target to verify itself (option
 * {@code verify.sample-per-second}; 0, the default, is off), and what schema changes in the source do to the target.
 */
public record PipelineSettings(int parallelism, long checkpointIntervalMs, ErrorPolicy onError, UdfLimits udf,
                               RestartPolicy restart,
                               @JsonProperty("verify.sample-per-second") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
                               Integer verifySamplePerSecond,
                               @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = SchemaChangePolicy.DefaultFilter.class)
                               SchemaChangePolicy schemaChanges) {
    public static final PipelineSettings DEFAULTS = new PipelineSettings(1, 10_000, ErrorPolicy.FAIL, UdfLimits.DEFAULTS,
            RestartPolicy.DEFAULT, 0, SchemaChangePolicy.LENIENT);
    /** Each sampled key costs three reads; more than this per second would load the source more than the job does. */
    public static final int MAX_VERIFY_SAMPLE_PER_SECOND = 1_000;

    public PipelineSettings {
        onError = onError == null ? ErrorPolicy.FAIL : onError;
        udf = udf == null ? UdfLimits.DEFAULTS : udf;
        // Definitions written before these options existed: the default restart policy, sampling off, lenient.
        restart = restart == null ? RestartPolicy.DEFAULT : restart;
        verifySamplePerSecond = verifySamplePerSecond == null ? 0 : verifySamplePerSecond;
        schemaChanges = schemaChanges == null ? SchemaChangePolicy.LENIENT : schemaChanges;
    }

    /** The JSON form: any field left out takes its default (a file may set only the checkpoint interval). */
    @JsonCreator
    static PipelineSettings fromJson(@JsonProperty("parallelism") Integer parallelism,
                                     @JsonProperty("checkpointIntervalMs") Long checkpointIntervalMs,
                                     @JsonProperty("onError") ErrorPolicy onError, @JsonProperty("udf") UdfLimits udf,
                                     @JsonProperty("restart") RestartPolicy restart,
                                     @JsonProperty("verify.sample-per-second") Integer verifySamplePerSecond,
                                     @JsonProperty("schemaChanges") SchemaChangePolicy schemaChanges) {
        return new PipelineSettings(parallelism == null ? DEFAULTS.parallelism : parallelism,
                checkpointIntervalMs == null ? DEFAULTS.checkpointIntervalMs : checkpointIntervalMs, onError, udf, restart,
                verifySamplePerSecond, schemaChanges);
    }

    public PipelineSettings withParallelism(int value) {
        return new PipelineSettings(value, checkpointIntervalMs, onError, udf, restart, verifySamplePerSecond, schemaChanges);
    }

    public PipelineSettings withCheckpointIntervalMs(long value) {
        return new PipelineSettings(parallelism, value, onError, udf, restart, verifySamplePerSecond, schemaChanges);
    }

    public PipelineSettings withOnError(ErrorPolicy value) {
        return new PipelineSettings(parallelism, checkpointIntervalMs, value, udf, restart, verifySamplePerSecond, schemaChanges);
    }

    public PipelineSettings withUdf(UdfLimits value) {
        return new PipelineSettings(parallelism, checkpointIntervalMs, onError, value, restart, verifySamplePerSecond, schemaChanges);
    }

    public PipelineSettings withRestart(RestartPolicy value) {
        return new PipelineSettings(parallelism, checkpointIntervalMs, onError, udf, value, verifySamplePerSecond, schemaChanges);
    }

    public PipelineSettings withVerifySamplePerSecond(int value) {
        return new PipelineSettings(parallelism, checkpointIntervalMs, onError, udf, restart, value, schemaChanges);
    }

    public PipelineSettings withSchemaChanges(SchemaChangePolicy value) {
        return new PipelineSettings(parallelism, checkpointIntervalMs, onError, udf, restart, verifySamplePerSecond, value);
    }
}
