package io.tapflow.flink.event;

/** What happened to a row. READ is a row of the initial snapshot; the others are live changes. */
public enum Op {
    READ, INSERT, UPDATE, DELETE;

    public boolean isDelete() {
        return this == DELETE;
    }
}
