package io.tapflow.cli.quickstart;

import io.tapflow.dsl.DataSource;
import io.tapflow.servers.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The quickstart's PostgreSQL target: table public.customer of database demo. */
final class PostgresDemoTarget implements DemoTarget {
    private final PostgresServer postgres;
    private Connection connection;

    PostgresDemoTarget(PostgresServer postgres) throws SQLException {
        this.postgres = postgres;
        postgres.createDatabase("demo");
    }

    @Override
    public String name() {
        return "PostgreSQL";
    }

    @Override
    public DataSource dataSource() {
        return DataSource.of("postgres", "demo-postgres").host(postgres.host()).port(postgres.port())
                .username(postgres.user()).password(postgres.password()).database("demo");
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = postgres.connect("demo");
        }
        return connection;
    }

    @Override
    public long rows() throws SQLException {
        try (PreparedStatement ps = connection().prepareStatement("SELECT count(*) FROM public.customer");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0; // the pipeline has not created the table yet
            }
            throw e;
        }
    }

    @Override
    public boolean shows(int id, String note, boolean deleted) throws SQLException {
        try (PreparedStatement ps = connection().prepareStatement("SELECT note FROM public.customer WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return deleted ? !rs.next() : rs.next() && note.equals(rs.getString(1));
            }
        }
    }

    @Override
    public void close() throws SQLException {
        if (connection != null) {
            connection.close();
        }
    }
}
