package io.tapflow.flink.source.postgres;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.connector.SourceCatalog;
import io.tapflow.flink.sink.jdbc.JdbcConnections;
import io.tapflow.flink.sink.jdbc.PostgresDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The catalog of a PostgreSQL source, as a running job polls it: the schema's tables by oid (pgoutput sends no DROP
 * TABLE, so a table gone, or back under a new oid, is seen here), and the pipeline's publication, to which a table
 * created later is added when the publication lists tables rather than covering the schema. One connection, kept open
 * between polls.
 */
public final class PostgresTableCatalog implements SourceCatalog {
    private static final PostgresDialect DIALECT = new PostgresDialect();
    /** PostgreSQL's SQLSTATE for a statement the user lacks the privilege (here: ownership) to run. */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private final DataSource ds;
    private final PostgresPublication publication;
    private final boolean covering;
    private Connection connection;

    public PostgresTableCatalog(DataSource resolvedDataSource, String pipelineName) {
        this.ds = resolvedDataSource;
        this.publication = new PostgresPublication(resolvedDataSource, pipelineName);
        this.covering = publication.covers();
    }

    @Override
    public Map<String, Long> tables() {
        String schema = ds.get("schema");
        try (PreparedStatement ps = connection().prepareStatement("SELECT c.relname, c.oid FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind = 'r'")) {
            ps.setString(1, schema);
            Map<String, Long> tables = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.put(schema + "." + rs.getString(1), rs.getLong(2));
                }
            }
            return tables;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean capturesFromCreation() {
        return covering;
    }

    /** In the publication, and readable by the user (the job reads its schema and a snapshot of it). */
    @Override
    public boolean captured(String qualifiedTable) {
        return (covering || listed(qualifiedTable)) && readable(qualifiedTable);
    }

    @Override
    public String capture(String qualifiedTable) {
        String user = ds.get("username");
        String add = publication.addTableStatement(qualifiedTable);
        boolean inPublication = covering || listed(qualifiedTable);
        if (!readable(qualifiedTable)) {
            return notCaptured(qualifiedTable, "user '" + user + "' may not read it", "GRANT SELECT ON "
                    + publication.quoteQualified(qualifiedTable) + " TO " + DIALECT.quote(user) + (inPublication ? "" : "; " + add));
        }
        if (inPublication) {
            return null;
        }
        try (Statement s = connection().createStatement()) {
            s.execute(add);
            return null;
        } catch (SQLException e) {
            if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                throw failed(e);
            }
            return notCaptured(qualifiedTable, "user '" + user + "' may not add it to publication " + publication.name()
                    + " (" + e.getMessage().lines().findFirst().orElse("") + ")", add);
        }
    }

    private static String notCaptured(String table, String why, String statements) {
        return "table " + table + " matches the pipeline's table patterns but its changes are not captured: " + why
                + "; an administrator must run " + statements + " (the job then reads it with a snapshot of what it holds)";
    }

    private boolean readable(String qualifiedTable) {
        try (PreparedStatement ps = connection().prepareStatement("SELECT has_table_privilege(?, 'SELECT')")) {
            ps.setString(1, publication.quoteQualified(qualifiedTable));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private boolean listed(String qualifiedTable) {
        String schema = ds.get("schema");
        try (PreparedStatement ps = connection().prepareStatement(
                "SELECT 1 FROM pg_publication_tables WHERE pubname = ? AND schemaname = ? AND tablename = ?")) {
            ps.setString(1, publication.name());
            ps.setString(2, schema);
            ps.setString(3, qualifiedTable.substring(schema.length() + 1));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private Connection connection() {
        if (connection == null) {
            connection = JdbcConnections.open(DIALECT, ds);
        }
        return connection;
    }

    /** Drops the connection (the next poll opens another) and describes the failure. */
    private RuntimeException failed(SQLException e) {
        close();
        return JdbcConnections.describe(ds, e);
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing after a failure: the failure is what is reported.
            }
            connection = null;
        }
    }
}
