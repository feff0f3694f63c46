package io.tapflow.flink.source.postgres;

import io.tapflow.dsl.ClosestName;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.InvalidDefinitionException;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.DroppedColumns;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.sink.jdbc.JdbcConnections;
import io.tapflow.flink.sink.jdbc.PostgresDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks, before anything starts, that a PostgreSQL datasource can be a CDC source: reachable, {@code wal_level} is
 * logical, the user may replicate, and the tables exist in the datasource's schema with a key and readable column
 * types. Reads their schemas; {@link TableSchema#database()} holds the schema, so events name tables
 * {@code schema.table}.
 */
public final class PostgresSourceInspector {
    private static final PostgresDialect DIALECT = new PostgresDialect();
    private final DataSource ds;
    private final DroppedColumns dropped;
    private final List<String> unreadColumns = new ArrayList<>();

    public PostgresSourceInspector(DataSource resolvedDataSource) {
        this(resolvedDataSource, DroppedColumns.of(List.of()));
    }

    /** @param dropped the columns the pipeline drops first: one of a type tapflow cannot read is left unread */
    public PostgresSourceInspector(DataSource resolvedDataSource, DroppedColumns dropped) {
        this.ds = resolvedDataSource;
        this.dropped = dropped;
    }

    /** The columns ({@code schema.table.column}) of the inspected tables left out because the pipeline drops them. */
    public List<String> unreadColumns() {
        return List.copyOf(unreadColumns);
    }

    /**
     * Everything the source needs, checked at once.
     *
     * @param keyOverride key fields named by the pipeline; when empty, each table needs a primary key
     */
    public List<TableSchema> inspect(List<String> tables, List<String> keyOverride) {
        try (Connection c = JdbcConnections.open(DIALECT, ds)) {
            List<String> problems = new ArrayList<>();
            walLevelProblem(setting(c, "SHOW wal_level")).ifPresent(problems::add);
            replicationProblem(c).ifPresent(problems::add);
            List<String> existing = listTables(c);
            List<TableSchema> schemas = new ArrayList<>();
            for (String table : tables) {
                if (!existing.contains(table)) {
                    problems.add("table " + schema() + "." + table + " does not exist" + ClosestName.hint(table, existing)
                            + "; tables in schema " + schema() + ": "
                            + (existing.isEmpty() ? "(none)" : String.join(", ", existing)));
                    continue;
                }
                TableSchema tableSchema = readSchema(c, table, problems);
                checkKey(c, tableSchema, keyOverride, problems);
                schemas.add(tableSchema);
            }
            if (!problems.isEmpty()) {
                throw new InvalidDefinitionException("PostgreSQL datasource '" + ds.name() + "'", problems);
            }
            return schemas;
        } catch (SQLException e) {
            throw JdbcConnections.describe(ds, e);
        }
    }

    /** The problem with a server's {@code wal_level}, if any: logical decoding needs "logical". */
    static Optional<String> walLevelProblem(String walLevel) {
        return "logical".equals(walLevel) ? Optional.empty() : Optional.of("wal_level is '" + walLevel
                + "'; CDC needs wal_level=logical (set it in postgresql.conf and restart)");
    }

    private String schema() {
        return ds.get("schema");
    }

    private Optional<String> replicationProblem(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user")) {
            if (rs.next() && rs.getBoolean(1)) {
                return Optional.empty();
            }
        }
        return Optional.of("user '" + ds.get("username") + "' lacks the REPLICATION attribute, which CDC needs "
                + "(as a superuser: ALTER ROLE \"" + ds.get("username") + "\" WITH REPLICATION)");
    }

    private void checkKey(Connection c, TableSchema table, List<String> keyOverride, List<String> problems)
            throws SQLException {
        String name = table.qualifiedName();
        if (keyOverride.isEmpty() && table.primaryKey().isEmpty()) {
            problems.add("table " + name + " has no primary key; name the key fields with key(\"column\") in the pipeline "
                    + "(\"key\" of the target in JSON) and set ALTER TABLE " + name + " REPLICA IDENTITY FULL");
            return;
        }
        for (String k : keyOverride) {
            if (table.column(k).isEmpty()) {
                problems.add(table.missingKeyField(k));
            }
        }
        // Without a primary key PostgreSQL logs updates and deletes with the old row only under REPLICA IDENTITY FULL.
        if (table.primaryKey().isEmpty() && !"f".equals(replicaIdentity(c, table.table()))) {
            problems.add("table " + name + " has no primary key, so its updates and deletes reach CDC only with "
                    + "ALTER TABLE " + name + " REPLICA IDENTITY FULL");
        }
    }

    private List<String> listTables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM information_schema.tables "
                + "WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name")) {
            ps.setString(1, schema());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        return tables;
    }

    private TableSchema readSchema(Connection c, String table, List<String> problems) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name, udt_name, character_maximum_length, "
                + "numeric_precision, numeric_scale, datetime_precision, is_nullable, (SELECT t.typtype FROM pg_catalog.pg_type t "
                + "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = udt_schema AND t.typname = udt_name), "
                + "(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a WHERE a.attrelid = "
                + "(quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass AND a.attname = c.column_name) "
                + "FROM information_schema.columns c WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
            ps.setString(1, schema());
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    String type = "e".equals(rs.getString(8)) ? PostgresColumnTypes.ENUM : rs.getString(2);
                    // numeric_precision is also set (in bits) for integers and floats; only numeric's is wanted.
                    Integer precision = type.equals("numeric") ? (Integer) rs.getObject(4) : (Integer) rs.getObject(6);
                    boolean nullable = "YES".equals(rs.getString(7));
                    Optional<Column> column = type.startsWith("_")
                            ? PostgresColumnTypes.describeArray(name, type, rs.getString(9), nullable)
                            : PostgresColumnTypes.describe(name, type, rs.getObject(3) == null ? -1 : rs.getLong(3),
                                    precision == null ? -1 : precision, rs.getObject(5) == null ? -1 : rs.getInt(5), nullable);
                    if (column.isPresent()) {
                        columns.add(column.get());
                    } else {
                        // An array by its declaration (integer[]): its udt_name (_int4) would puzzle.
                        String declared = type.startsWith("_") ? rs.getString(9) : type;
                        String qualified = schema() + "." + table + "." + name;
                        Optional<String> unreadable = PostgresColumnTypes.unreadable(type, rs.getString(8));
                        if (dropped.drops(name) && unreadable.isEmpty()) {
                            unreadColumns.add(qualified);
                        } else {
                            problems.add("column " + qualified + " has type " + declared + ", which tapflow does not "
                                    + "read from PostgreSQL" + PostgresColumnTypes.why(type, rs.getString(8))
                                    + unreadable.map(u -> "; " + u).orElse("; drop it with exclude(\"" + name + "\") as the "
                                    + "pipeline's first step to replicate the other columns")
                                    + "; supported types: " + String.join(", ", PostgresColumnTypes.SUPPORTED)
                                    + " and one-dimensional arrays of " + String.join(", ", PostgresColumnTypes.ARRAY_ELEMENTS));
                        }
                    }
                }
            }
        }
        return new TableSchema(schema(), table, columns, primaryKey(c, table));
    }

    List<String> primaryKey(Connection c, String table) throws SQLException {
        List<String> pk = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname FROM pg_index i "
                + "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                + "WHERE i.indrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass AND i.indisprimary "
                + "ORDER BY array_position(i.indkey::int2[], a.attnum)")) {
            ps.setString(1, schema());
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pk.add(rs.getString(1));
                }
            }
        }
        return pk;
    }

    private String replicaIdentity(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT relreplident FROM pg_class "
                + "WHERE oid = (quote_ident(?) || '.' || quote_ident(?))::regclass")) {
            ps.setString(1, schema());
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    private static String setting(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
