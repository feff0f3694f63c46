package io.tapflow.flink.source;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import java.util.LinkedHashMap;

/**
 * The event a change-data source subtask emits, once, when it starts reading the change stream (its stream split was
 * assigned or restored), ahead of the stream's first change. It tells the schema-change follower chained to that
 * subtask that it is the one whose output carries the stream, so what the follower reads beside the stream (catch-up
 * snapshots, PostgreSQL's catalog) joins it in order, at any parallelism, without waiting for a change. The follower
 * takes it out of the stream; it holds no row.
 */
public final class ChangeStreamStart {
    /** A table name no source table can have (a database or schema named {@code tapflow} holds no {@code #} table). */
    static final String TABLE = "tapflow.#change-stream-start";

    private ChangeStreamStart() {}

    public static ChangeEvent event() {
        return new ChangeEvent(Op.READ, TABLE, new LinkedHashMap<>(), null, null, System.currentTimeMillis());
    }

    public static boolean is(ChangeEvent event) {
        return TABLE.equals(event.table());
    }
}
