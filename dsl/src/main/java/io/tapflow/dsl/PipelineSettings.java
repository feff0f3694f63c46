package io.tapflow.dsl;

/** How a pipeline runs: parallelism and how often it checkpoints (sinks flush at every checkpoint). */
public record PipelineSettings(int parallelism, long checkpointIntervalMs) {
    public static final PipelineSettings DEFAULTS = new PipelineSettings(1, 10_000);

    public PipelineSettings withParallelism(int value) {
        return new PipelineSettings(value, checkpointIntervalMs);
    }

    public PipelineSettings withCheckpointIntervalMs(long value) {
        return new PipelineSettings(parallelism, value);
    }
}
