package io.tapflow.flink;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tapflow.dsl.DataSource;
import io.tapflow.servers.SharedServers;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;

/**
 * A target database of the shared servers (PostgreSQL, MySQL, or MongoDB: the emulator unless TAPFLOW_TEST_MONGO_URI
 * names a real server; a fresh database of the given name) and how a test reads its tables: rows by id as text, none
 * while a table is missing. A MongoDB row is a document without {@code _id}.
 */
record TargetTables(String type, String database, DataSource datasource) {
    /** @param type "postgres", "mysql" or "mongo" */
    static TargetTables of(String type, String database) throws SQLException {
        return new TargetTables(type, database, switch (type) {
            case "postgres" -> TestDatabases.postgresTarget(database);
            case "mysql" -> TestDatabases.mysqlTarget(database);
            case "mongo" -> TestDatabases.mongoTarget(database);
            default -> throw new IllegalArgumentException("no test target of type " + type);
        });
    }

    List<Map<String, String>> rows(String table) {
        return switch (type) {
            case "postgres" -> PgRows.read(database, table, "id");
            case "mysql" -> MariaDbRows.read(database, table);
            default -> mongoRows(table);
        };
    }

    boolean exists(String table) {
        return switch (type) {
            case "postgres" -> PgRows.tableExists(database, table);
            case "mysql" -> MariaDbRows.tableExists(database, table);
            default -> {
                try (MongoClient client = MongoClients.create(SharedServers.mongo().connectionString())) {
                    yield client.getDatabase(database).listCollectionNames().into(new ArrayList<>()).contains(table);
                }
            }
        };
    }

    /**
     * Rows as this target holds them: a document has no field for a NULL column (a field missing and one holding null
     * both read as missing), a table has every column.
     */
    List<Map<String, String>> asStored(List<Map<String, String>> rows) {
        if (!type.equals("mongo")) {
            return rows;
        }
        return rows.stream().map(TargetTables::withoutNulls).toList();
    }

    private List<Map<String, String>> mongoRows(String table) {
        TreeMap<Long, Map<String, String>> rows = new TreeMap<>();
        try (MongoClient client = MongoClients.create(SharedServers.mongo().connectionString())) {
            for (Document d : client.getDatabase(database).getCollection(table).find()) {
                Map<String, String> row = new LinkedHashMap<>();
                d.forEach((k, v) -> {
                    if (!k.equals("_id")) {
                        row.put(k, v == null ? null : v.toString());
                    }
                });
                rows.put(((Number) d.get("id")).longValue(), withoutNulls(row));
            }
        }
        return new ArrayList<>(rows.values());
    }

    private static Map<String, String> withoutNulls(Map<String, String> row) {
        Map<String, String> out = new LinkedHashMap<>();
        row.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }
}
