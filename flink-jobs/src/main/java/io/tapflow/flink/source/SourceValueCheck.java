package io.tapflow.flink.source;

import io.tapflow.flink.event.Op;
import java.io.Serializable;
import java.util.Map;

/**
 * Corrects values a CDC reader is known to deliver altered, or marks them refused, before an event leaves the source:
 * {@link BinlogReadBack} for MySQL's change stream, {@code PostgresSnapshotCheck} for PostgreSQL's snapshot.
 */
public interface SourceValueCheck extends Serializable {
    /**
     * @param row        a converted row image (before or after), changed in place; null when the event has none
     * @param sawSuspect whether the converter marked {@link SuspectValue}s in this event
     * @return whether it put a {@link RefusedValue} into the row
     */
    boolean check(Op op, String table, Map<String, Object> row, Map<String, Object> key, boolean sawSuspect);
}
