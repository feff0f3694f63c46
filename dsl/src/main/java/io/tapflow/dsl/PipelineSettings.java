package io.tapflow.dsl;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.EnumMap;
import java.util.Map;

/**
 * How a pipeline runs: parallelism, how often it checkpoints (sinks flush at every checkpoint), what happens to rows
 * a step cannot process, the sandbox of UDF code, how it restarts after a failure that may heal, how many changed
 * keys per second the running job re-reads from source and target to verify itself (option
 * {@code verify.sample-per-second}; 0, the default, is off), and what schema changes in the source do to the target (a base policy, and one of its own for any kind of change
 * the pipeline overrides).
 */
public record PipelineSettings(int parallelism, long checkpointIntervalMs, ErrorPolicy onError, UdfLimits udf,
                               RestartPolicy restart,
                               @JsonProperty("verify.sample-per-second") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
                               Integer verifySamplePerSecond,
                               @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = SchemaChangePolicy.DefaultFilter.class)
                               SchemaChangePolicy schemaChanges,
                               @JsonInclude(JsonInclude.Include.NON_EMPTY)
                               Map<SchemaChangeKind, SchemaChangePolicy> schemaChangeOverrides) {
    public static final PipelineSettings DEFAULTS = new PipelineSettings(1, 10_000, ErrorPolicy.FAIL, UdfLimits.DEFAULTS,
            RestartPolicy.DEFAULT, 0, SchemaChangePolicy.LENIENT, Map.of());
    /** Each sampled key costs three reads; more than this per second would load the source more than the job does. */
    public static final int MAX_VERIFY_SAMPLE_PER_SECOND = 1_000;

    public PipelineSettings {
        onError = onError == null ? ErrorPolicy.FAIL : onError;
        udf = udf == null ? UdfLimits.DEFAULTS : udf;
        // Definitions written before these options existed: the default restart policy, sampling off, lenient.
        restart = restart == null ? RestartPolicy.DEFAULT : restart;
        verifySamplePerSecond = verifySamplePerSecond == null ? 0 : verifySamplePerSecond;
        schemaChanges = schemaChanges == null ? SchemaChangePolicy.LENIENT : schemaChanges;
        schemaChangeOverrides = new SchemaChangeRules(schemaChanges, schemaChangeOverrides).overrides();
    }

    public PipelineSettings(int parallelism, long checkpointIntervalMs, ErrorPolicy onError, UdfLimits udf,
                            RestartPolicy restart, Integer verifySamplePerSecond, SchemaChangePolicy schemaChanges) {
        this(parallelism, checkpointIntervalMs, onError, udf, restart, verifySamplePerSecond, schemaChanges, Map.of());
    }

    /** The policy of each kind of schema change: the base policy and this pipeline's overrides. */
    public SchemaChangeRules schemaChangeRules() {
        return new SchemaChangeRules(schemaChanges, schemaChangeOverrides);
    }

    /** The JSON form: any field left out takes its default (a file may set only the checkpoint interval). */
    @JsonCreator
    static PipelineSettings fromJson(@JsonProperty("parallelism") Integer parallelism,
                                     @JsonProperty("checkpointIntervalMs") Long checkpointIntervalMs,
                                     @JsonProperty("onError") ErrorPolicy onError, @JsonProperty("udf") UdfLimits udf,
                                     @JsonProperty("restart") RestartPolicy restart,
                                     @JsonProperty("verify.sample-per-second") Integer verifySamplePerSecond,
                                     @JsonProperty("schemaChanges") SchemaChangePolicy schemaChanges,
                                     @JsonProperty("schemaChangeOverrides") Map<String, String> schemaChangeOverrides) {
        return new PipelineSettings(parallelism == null ? DEFAULTS.parallelism : parallelism,
                checkpointIntervalMs == null ? DEFAULTS.checkpointIntervalMs : checkpointIntervalMs, onError, udf, restart,
                verifySamplePerSecond, schemaChanges, SchemaChangeRules.parse(schemaChangeOverrides));
    }

    public PipelineSettings withParallelism(int value) {
        return new PipelineSettings(value, checkpointIntervalMs, onError, udf, restart, verifySamplePerSecond, schemaChanges, schemaChangeOverrides);
    }

    public PipelineSettings withCheckpointIntervalMs(long value) {
        return new PipelineSettings(parallelism, value, onError, udf, restart, verifySamplePerSecond, schemaChanges, schemaChangeOverrides);
    }

    public PipelineSettings withOnError(ErrorPolicy value) {
        return new PipelineSettings(parallelism, checkpointIntervalMs, value, udf, restart, verifySamplePerSecond, schemaChanges, schemaChangeOverrides);
    }

    public PipelineSettings withUdf(UdfLimits value) {
        return new PipelineSettings(parallelism, checkpointIntervalMs, onError, value, restart, verifySamplePerSecond, schemaChanges, schemaChangeOverrides);
    }

    public PipelineSettings withRestart(RestartPolicy value) {
        return new PipelineSettings(parallelism, checkpointIntervalMs, onError, udf, value, verifySamplePerSecond, schemaChanges, schemaChangeOverrides);
    }

    public PipelineSettings withVerifySamplePerSecond(int value) {
        return new PipelineSettings(parallelism, checkpointIntervalMs, onError, udf, restart, value, schemaChanges, schemaChangeOverrides);
    }

    /** The base policy and its overrides, each kind of change overridden at most once. */
    public PipelineSettings withSchemaChangeOverride(SchemaChangeKind kind, SchemaChangePolicy policy) {
        Map<SchemaChangeKind, SchemaChangePolicy> overrides = new EnumMap<>(SchemaChangeKind.class);
        overrides.putAll(schemaChangeOverrides);
        overrides.put(kind, policy);
        return new PipelineSettings(parallelism, checkpointIntervalMs, onError, udf, restart, verifySamplePerSecond, schemaChanges, overrides);
    }

    public PipelineSettings withSchemaChanges(SchemaChangePolicy value) {
        return new PipelineSettings(parallelism, checkpointIntervalMs, onError, udf, restart, verifySamplePerSecond, value, schemaChangeOverrides);
    }
}
