package io.tapflow.flink.source.mysql.snapshot;

import org.apache.flink.api.connector.source.SourceEvent;

/**
 * A snapshot reader's first word to the enumerator, sent before it asks for a split. The snapshot's enumerator ignores
 * it; the binlog source's enumerator receiving it learns that Flink restored the readers to a checkpoint taken before
 * the hand-over to the binlog while keeping the switched enumerator (see MySqlBinlogSource).
 */
public record SnapshotReaderStarted() implements SourceEvent {
    private static final long serialVersionUID = 1L;
}
