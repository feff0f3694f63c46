package io.tapflow.flink.source.postgres;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.sink.jdbc.JdbcConnections;
import io.tapflow.flink.sink.jdbc.PostgresDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The publication of a pipeline that selects tables by pattern. Made to cover the datasource's whole schema where it
 * can, so that pgoutput sends the rows of tables created while the job runs from their creation on: {@code FOR TABLES
 * IN SCHEMA} on PostgreSQL 15 and later, {@code FOR ALL TABLES} before. Both need a superuser, unless the publication
 * already covers the schema (one a superuser created for the pipeline). Such a publication also makes PostgreSQL refuse
 * UPDATE and DELETE on every covered table without a replica identity, so it is not made while such a table exists.
 * Otherwise it lists the matched tables, and the job adds each table created later to it ({@code ALTER PUBLICATION ...
 * ADD TABLE}, which PostgreSQL allows the owner of the table and the publication).
 */
public final class PostgresPublication {
    private static final PostgresDialect DIALECT = new PostgresDialect();
    private static final int SCHEMA_PUBLICATIONS = 150000;

    private final DataSource ds;
    private final String name;

    public PostgresPublication(DataSource resolvedDataSource, String pipelineName) {
        this.ds = resolvedDataSource;
        this.name = PostgresReplicationNames.publicationName(pipelineName);
    }

    /**
     * Why the publication cannot be made to cover the schema and what tables created while the job runs get instead,
     * with what to grant or change; null when it can.
     */
    public String coverageProblem() {
        try (Connection c = JdbcConnections.open(DIALECT, ds)) {
            if (covers(c)) {
                return null;
            }
            String create = createStatement(c);
            String added = "publication " + name + " lists the matched tables, and a table created while the job runs is "
                    + "added to it (ALTER PUBLICATION " + DIALECT.quote(name) + " ADD TABLE ...), when user '"
                    + ds.get("username") + "' owns the table, and then read with a snapshot of what it held (for other "
                    + "tables the job logs the statement an administrator must run)";
            if (!superuser(c)) {
                return added + "; to capture new tables from their creation, as a superuser run " + create
                        + " (or ALTER ROLE \"" + ds.get("username") + "\" SUPERUSER) before starting the pipeline: only a "
                        + "superuser may make a publication cover schema " + schema();
            }
            List<String> unidentified = withoutReplicaIdentity(c);
            if (!unidentified.isEmpty()) {
                return added + "; " + create + " would make PostgreSQL refuse UPDATE and DELETE on "
                        + String.join(", ", unidentified) + ", which have no primary key or replica identity; give them "
                        + "one (ALTER TABLE ... REPLICA IDENTITY FULL) to capture new tables from their creation";
            }
            return null;
        } catch (SQLException e) {
            throw JdbcConnections.describe(ds, e);
        }
    }

    /**
     * Makes the publication cover the schema where {@link #coverageProblem()} allows, and otherwise list these tables
     * ({@code schema.table}): an existing one that lists tables is set to them, so that it holds the tables the
     * patterns match now.
     */
    public void prepare(List<String> qualifiedTables) {
        if (coverageProblem() == null) {
            ensureCoversSchema();
            return;
        }
        try (Connection c = JdbcConnections.open(DIALECT, ds); Statement s = c.createStatement()) {
            String list = qualifiedTables.stream().map(this::quoteQualified)
                    .collect(java.util.stream.Collectors.joining(", "));
            s.execute((exists(c) ? "ALTER PUBLICATION " + DIALECT.quote(name) + " SET TABLE "
                    : "CREATE PUBLICATION " + DIALECT.quote(name) + " FOR TABLE ") + list);
        } catch (SQLException e) {
            throw JdbcConnections.describe(ds, e);
        }
    }

    /** Whether the publication covers the schema, so that tables created later are in it from their creation. */
    public boolean covers() {
        try (Connection c = JdbcConnections.open(DIALECT, ds)) {
            return covers(c);
        } catch (SQLException e) {
            throw JdbcConnections.describe(ds, e);
        }
    }

    /** The statement that adds a table ({@code schema.table}) to the publication. */
    String addTableStatement(String qualifiedTable) {
        return "ALTER PUBLICATION " + DIALECT.quote(name) + " ADD TABLE " + quoteQualified(qualifiedTable);
    }

    String name() {
        return name;
    }

    /** {@code schema.table} of the datasource's schema, quoted (the schema's name may hold a dot). */
    String quoteQualified(String qualifiedTable) {
        return DIALECT.quote(schema()) + "." + DIALECT.quote(qualifiedTable.substring(schema().length() + 1));
    }

    private boolean exists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Makes the publication cover the schema unless it does. One that lists tables (made by an earlier run) is
     * replaced in the same transaction, so that decoding finds a publication of this name at every position.
     */
    private void ensureCoversSchema() {
        try (Connection c = JdbcConnections.open(DIALECT, ds)) {
            if (covers(c)) {
                return;
            }
            String create = createStatement(c);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("DROP PUBLICATION IF EXISTS " + DIALECT.quote(name));
                s.execute(create);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw JdbcConnections.describe(ds, e);
        }
    }

    private boolean covers(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT puballtables FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                if (rs.getBoolean(1)) {
                    return true;
                }
            }
        }
        if (version(c) < SCHEMA_PUBLICATIONS) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_publication_namespace pn "
                + "JOIN pg_publication p ON p.oid = pn.pnpubid JOIN pg_namespace n ON n.oid = pn.pnnspid "
                + "WHERE p.pubname = ? AND n.nspname = ?")) {
            ps.setString(1, name);
            ps.setString(2, schema());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private String createStatement(Connection c) throws SQLException {
        return "CREATE PUBLICATION " + DIALECT.quote(name) + (version(c) >= SCHEMA_PUBLICATIONS
                ? " FOR TABLES IN SCHEMA " + DIALECT.quote(schema()) : " FOR ALL TABLES");
    }

    /** The tables the publication would cover that have no replica identity: their UPDATEs and DELETEs would fail. */
    private List<String> withoutReplicaIdentity(Connection c) throws SQLException {
        boolean schemaOnly = version(c) >= SCHEMA_PUBLICATIONS;
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname || '.' || t.relname FROM pg_class t "
                + "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE t.relkind IN ('r', 'p') "
                + "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' "
                + "AND (? = '' OR n.nspname = ?) "
                + "AND (t.relreplident = 'n' OR t.relreplident = 'd' AND NOT EXISTS "
                + "(SELECT 1 FROM pg_index i WHERE i.indrelid = t.oid AND i.indisprimary)) ORDER BY 1")) {
            ps.setString(1, schemaOnly ? schema() : "");
            ps.setString(2, schemaOnly ? schema() : "");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        return tables;
    }

    private static boolean superuser(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static int version(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private String schema() {
        return ds.get("schema");
    }
}
