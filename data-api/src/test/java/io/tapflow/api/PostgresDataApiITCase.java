package io.tapflow.api;

import io.tapflow.dsl.DataSource;
import io.tapflow.servers.PostgresServer;
import io.tapflow.servers.SharedServers;
import java.sql.Connection;

/** The data API contract on a real PostgreSQL. */
class PostgresDataApiITCase extends DataApiContract {
    private static final String DB = "api_test";
    private final PostgresServer pg = SharedServers.postgres();

    @Override
    DataSource datasource() {
        return DataSource.of("postgres", "pg").host(pg.host()).port(pg.port()).username(pg.user()).password(pg.password()).database(DB);
    }

    @Override
    String idField() {
        return "id";
    }

    @Override
    void createTables() throws Exception {
        pg.createDatabase(DB);
        try (Connection c = pg.connect(DB)) {
            JdbcTables.create(c, "NUMERIC(12,2)");
        }
    }

    @Override
    void insertEvent(int id) throws Exception {
        try (Connection c = pg.connect(DB)) {
            JdbcTables.insertEvent(c, id);
        }
    }

    @Override
    void deleteEvent(int id) throws Exception {
        try (Connection c = pg.connect(DB)) {
            JdbcTables.deleteEvent(c, id);
        }
    }

    @Override
    boolean customerTableExists() throws Exception {
        try (Connection c = pg.connect(DB)) {
            return JdbcTables.exists(c, "customer");
        }
    }
}
