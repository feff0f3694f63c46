package io.tapflow.flink.sink;

import java.io.Serializable;

/** How a keyed sink batches: at most {@code batchSize} pending changes, none older than {@code flushIntervalMs}. */
public record SinkOptions(int batchSize, long flushIntervalMs) implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final SinkOptions DEFAULTS = new SinkOptions(5000, 20);
}
