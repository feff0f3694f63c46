package io.tapflow.flink.sink.jdbc;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Inserts rows that are not in the target yet, faster than upserts; fails as a whole when one of them already is. */
interface BulkInsert {
    void insert(String qualifiedTable, List<String> columns, List<Map<String, Object>> rows) throws SQLException;

    /** Whether the failure means a row was already there (so the batch should be upserted instead). */
    boolean isKeyConflict(SQLException e);
}
