package io.tapflow.flink.verify;

import java.util.Map;

/** Rows streamed one at a time from a database, in the order the query asked for; nothing holds the whole table. */
public interface RowCursor extends AutoCloseable {

    /** The next row (canonical row values, column order), or null after the last. */
    Map<String, Object> next();

    @Override
    void close();
}
