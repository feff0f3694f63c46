package io.tapflow.flink.source.mysql.snapshot;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;

/** Reads where the change stream will start, and the table schemas at that position, before the snapshot reads a row. */
public interface StreamStartReader extends Serializable {
    StreamStart read(Connection connection) throws SQLException;
}
