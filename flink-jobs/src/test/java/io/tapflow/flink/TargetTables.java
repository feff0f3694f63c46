package io.tapflow.flink;

import io.tapflow.dsl.DataSource;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * A target database of the shared servers (PostgreSQL or MySQL, a fresh database of the given name) and how a test
 * reads its tables: rows by id as text, none while a table is missing.
 */
record TargetTables(String type, String database, DataSource datasource) {
    /** @param type "postgres" or "mysql" */
    static TargetTables of(String type, String database) throws SQLException {
        return new TargetTables(type, database, switch (type) {
            case "postgres" -> TestDatabases.postgresTarget(database);
            case "mysql" -> TestDatabases.mysqlTarget(database);
            default -> throw new IllegalArgumentException("no test target of type " + type);
        });
    }

    List<Map<String, String>> rows(String table) {
        return type.equals("postgres") ? PgRows.read(database, table, "id") : MariaDbRows.read(database, table);
    }

    boolean exists(String table) {
        return type.equals("postgres") ? PgRows.tableExists(database, table) : MariaDbRows.tableExists(database, table);
    }
}
