package io.tapflow.flink;

import io.tapflow.dsl.DataSource;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * A source database of the shared servers (MariaDB as a MySQL source, or PostgreSQL; a fresh database of the given
 * name) and how a test changes it, reads its tables (rows by id as text) and names what differs between the two.
 */
record SourceDatabase(String type, String database, DataSource datasource) {
    /** @param type "mysql" or "postgres" */
    static SourceDatabase of(String type, String database) throws SQLException {
        return new SourceDatabase(type, database, switch (type) {
            case "mysql" -> TestDatabases.mysqlSource(database);
            case "postgres" -> TestDatabases.postgresSource(database);
            default -> throw new IllegalArgumentException("no test source of type " + type);
        });
    }

    void run(String... statements) throws SQLException {
        if (type.equals("mysql")) {
            TestDatabases.mysql(database, statements);
        } else {
            TestDatabases.postgres(database, statements);
        }
    }

    List<Map<String, String>> rows(String table) {
        return type.equals("mysql") ? MariaDbRows.read(database, table) : PgRows.read(database, table, "id");
    }

    /** The table's name as the job reports it: {@code database.table}, or {@code schema.table} for PostgreSQL. */
    String qualified(String table) {
        return (type.equals("mysql") ? database : "public") + "." + table;
    }

    /** The statement that gives a column another type. */
    String changeType(String table, String column, String sqlType) {
        return type.equals("mysql") ? "ALTER TABLE " + table + " MODIFY " + column + " " + sqlType
                : "ALTER TABLE " + table + " ALTER COLUMN " + column + " TYPE " + sqlType;
    }
}
