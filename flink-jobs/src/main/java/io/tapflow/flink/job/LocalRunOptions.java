package io.tapflow.flink.job;

import io.tapflow.flink.sink.SinkOptions;
import java.nio.file.Path;

/**
 * How to run a pipeline on an embedded Flink: where checkpoints go, the web dashboard port (-1 for none), an
 * optional checkpoint or savepoint to restore, and sink batching.
 */
public record LocalRunOptions(Path checkpointDir, int webUiPort, Path restoreFrom, SinkOptions sinkOptions) {
    public LocalRunOptions withRestoreFrom(Path path) {
        return new LocalRunOptions(checkpointDir, webUiPort, path, sinkOptions);
    }
}
