package io.tapflow.flink.event;

/**
 * What happened to a row. READ is a row of the initial snapshot; INSERT, UPDATE and DELETE are live changes.
 * DROP_TABLE and TRUNCATE are events of a whole source table, without rows: the schema-change follower right after the
 * source reports them and does not pass them on, so steps and sinks only ever meet row events.
 */
public enum Op {
    READ, INSERT, UPDATE, DELETE, DROP_TABLE, TRUNCATE;

    /** Whether the event is about a whole table (no key, no rows). */
    public boolean isTableEvent() {
        return this == DROP_TABLE || this == TRUNCATE;
    }

    public boolean isDelete() {
        return this == DELETE;
    }
}
