package io.tapflow.flink.source.query;

import io.tapflow.flink.source.ResultSetSplitReader;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** One database's side of a query source: how to run the query streamed, and how its rows become change events. */
public interface QueryRows extends Serializable {

    /** A connection whose session reads values as the row reader expects them (time zone, date style). */
    Connection connect() throws SQLException;

    /** The statement that streams the result (rather than holding all of it in memory). */
    PreparedStatement prepare(Connection c) throws SQLException;

    /** Reads the current row of the result as a READ event of the query's result table. */
    ResultSetSplitReader.RowReader rowReader();

    /** A failure as the user should read it (no driver noise, no secrets). */
    RuntimeException describe(SQLException e);

    /** What is read, for messages: the result's name. */
    String name();
}
