package io.tapflow.flink.event;

/**
 * What happened to a row. READ is a row of the initial snapshot; INSERT, UPDATE and DELETE are live changes.
 * DROP_TABLE and TRUNCATE are events of a whole source table, without rows, which the schema-change follower right
 * after the source reports; it passes a TRUNCATE on to the sink only under the policy evolve. ALTER_TARGET is a column
 * the follower drops or renames in the target table, made by the sink in order with the rows (TargetSchemaChanges).
 * Steps pass table events on untouched.
 */
public enum Op {
    READ, INSERT, UPDATE, DELETE, DROP_TABLE, TRUNCATE, ALTER_TARGET;

    /** Whether the event is about a whole table (no rows). */
    public boolean isTableEvent() {
        return this == DROP_TABLE || this == TRUNCATE || this == ALTER_TARGET;
    }

    public boolean isDelete() {
        return this == DELETE;
    }
}
