package io.tapflow.api;

import io.tapflow.dsl.DataSource;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.SharedServers;
import java.sql.Connection;

/** The data API contract on a real MariaDB (type mariadb, an alias of mysql). */
class MariaDbDataApiITCase extends DataApiContract {
    private static final String DB = "api_test";
    private final MariaDbServer maria = SharedServers.mariaDb();

    @Override
    DataSource datasource() {
        return DataSource.of("mariadb", "maria").host(maria.host()).port(maria.port()).username(maria.adminUser())
                .password(maria.adminPassword()).database(DB);
    }

    @Override
    String idField() {
        return "id";
    }

    @Override
    void createTables() throws Exception {
        maria.createDatabase(DB);
        try (Connection c = maria.connectAsAdmin(DB)) {
            JdbcTables.create(c, "DECIMAL(12,2)");
        }
    }

    @Override
    void insertEvent(int id) throws Exception {
        try (Connection c = maria.connectAsAdmin(DB)) {
            JdbcTables.insertEvent(c, id);
        }
    }

    @Override
    void deleteEvent(int id) throws Exception {
        try (Connection c = maria.connectAsAdmin(DB)) {
            JdbcTables.deleteEvent(c, id);
        }
    }

    @Override
    boolean customerTableExists() throws Exception {
        try (Connection c = maria.connectAsAdmin(DB)) {
            return JdbcTables.exists(c, "customer");
        }
    }
}
