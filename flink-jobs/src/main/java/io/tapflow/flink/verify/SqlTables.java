package io.tapflow.flink.verify;

import java.util.List;

/** A SQL database a checksum comparison queries: its quoting and one-row queries with parameters. */
interface SqlTables {
    boolean isPostgres();

    String quote(String identifier);

    /** The table's name as SQL uses it. */
    String qualified(String database, String table);

    /** The first row of a query's result, each column as the driver returns it. */
    List<Object> queryRow(String sql, List<Object> parameters);
}
