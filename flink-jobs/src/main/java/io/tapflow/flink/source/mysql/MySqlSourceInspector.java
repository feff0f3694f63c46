package io.tapflow.flink.source.mysql;

import io.tapflow.dsl.ClosestName;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks, before anything starts, that a MySQL/MariaDB datasource can be a CDC source: it is reachable, the
 * credentials work, binary logging is on in ROW format with full row images, and the tables exist. Reads their schemas.
 */
public final class MySqlSourceInspector {
    private static final Pattern JSON_VALID = Pattern.compile("(?i)json_valid\\(`((?:[^`]|``)+)`\\)");
    private final DataSource ds;

    public MySqlSourceInspector(DataSource resolvedDataSource) {
        this.ds = resolvedDataSource;
    }

    /** Tables of the datasource's database, for `datasource test` and for error messages. */
    public List<String> listTables() {
        try (Connection c = MySqlConnections.open(ds)) {
            return listTables(c);
        } catch (SQLException e) {
            throw MySqlConnections.describe(ds, e);
        }
    }

    /**
     * Everything the source needs, checked at once.
     *
     * @param keyOverride key fields named by the pipeline; when empty, each table needs a primary key
     */
    public List<TableSchema> inspect(List<String> tables, List<String> keyOverride) {
        try (Connection c = MySqlConnections.open(ds)) {
            List<String> problems = new ArrayList<>();
            checkBinlog(c, problems);
            List<String> existing = listTables(c);
            List<TableSchema> schemas = new ArrayList<>();
            for (String table : tables) {
                if (!existing.contains(table)) {
                    problems.add("table " + ds.get("database") + "." + table + " does not exist"
                            + ClosestName.hint(table, existing) + "; tables in "
                            + ds.get("database") + ": " + (existing.isEmpty() ? "(none)" : String.join(", ", existing)));
                    continue;
                }
                TableSchema schema = readSchema(c, table);
                schema.columns().stream().filter(col -> !MySqlColumnTypes.isSupported(col.dataType())).forEach(col ->
                        problems.add("column " + schema.qualifiedName() + "." + col.name() + " has the type " + col.columnType()
                                + ", which tapflow cannot read yet; give the column a type tapflow reads (for example "
                                + "ALTER TABLE ... MODIFY " + col.name() + " VARCHAR(45) for INET6 or UUID) or leave the table out"));
                schema.columns().stream().filter(col -> MySqlColumnTypes.hasUnreadableMember(col.dataType(), col.columnType()))
                        .forEach(col -> problems.add("column " + schema.qualifiedName() + "." + col.name() + " is "
                                + col.columnType() + ": the server's metadata shows a member as '?' (a 4-byte character such "
                                + "as an emoji, which MariaDB's information_schema and SHOW CREATE TABLE cannot hold, or a "
                                + "real '?'), so the change stream would deliver '?' for it; give the member characters "
                                + "of at most 3 UTF-8 bytes or leave the table out"));
                if (keyOverride.isEmpty() && schema.primaryKey().isEmpty()) {
                    problems.add("table " + schema.qualifiedName() + " has no primary key; name the key fields with "
                            + "key(\"column\") in the pipeline (\"key\" of the target in JSON)");
                }
                for (String k : keyOverride) {
                    if (schema.column(k).isEmpty()) {
                        problems.add(schema.missingKeyField(k));
                    }
                }
                schemas.add(schema);
            }
            if (!problems.isEmpty()) {
                throw new io.tapflow.dsl.InvalidDefinitionException("source datasource '" + ds.name() + "'", problems);
            }
            return schemas;
        } catch (SQLException e) {
            throw MySqlConnections.describe(ds, e);
        }
    }

    /** The zone for TIMESTAMP values: the option if set, else the server's current offset from UTC. */
    public ZoneId serverTimeZone() {
        String configured = ds.get("server-time-zone");
        if (configured != null) {
            try {
                return ZoneId.of(configured);
            } catch (RuntimeException e) {
                throw new TapflowException("datasource '" + ds.name() + "' option 'server-time-zone': '" + configured
                        + "' is not a time zone; use a region such as Europe/Berlin or an offset such as +02:00");
            }
        }
        try (Connection c = MySqlConnections.open(ds); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW())")) {
            rs.next();
            int seconds = Math.round(rs.getInt(1) / 60f) * 60;
            return seconds == 0 ? ZoneId.of("UTC") : ZoneOffset.ofTotalSeconds(seconds);
        } catch (SQLException e) {
            throw MySqlConnections.describe(ds, e);
        }
    }

    private void checkBinlog(Connection c, List<String> problems) throws SQLException {
        Map<String, String> vars = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW VARIABLES WHERE Variable_name IN ('log_bin','binlog_format','binlog_row_image')")) {
            while (rs.next()) {
                vars.put(rs.getString(1), rs.getString(2));
            }
        }
        if (!"ON".equalsIgnoreCase(vars.get("log_bin"))) {
            problems.add("binary logging is off on the server; CDC needs it: start the server with "
                    + "--log-bin --binlog-format=ROW --binlog-row-image=FULL");
            return;
        }
        if (!"ROW".equalsIgnoreCase(vars.get("binlog_format"))) {
            problems.add("binlog_format is " + vars.get("binlog_format") + "; CDC needs ROW (SET GLOBAL binlog_format=ROW)");
        }
        if (vars.containsKey("binlog_row_image") && !"FULL".equalsIgnoreCase(vars.get("binlog_row_image"))) {
            problems.add("binlog_row_image is " + vars.get("binlog_row_image") + "; CDC needs FULL");
        }
    }

    private List<String> listTables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME FROM information_schema.TABLES "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")) {
            ps.setString(1, ds.get("database"));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        return tables;
    }

    /**
     * MariaDB's JSON is an alias of LONGTEXT with a {@code CHECK (json_valid(col))} constraint; information_schema
     * shows it as longtext, so the constraint tells. (MySQL has a real JSON type, and no TABLE_NAME in this view.)
     */
    private List<String> jsonColumns(Connection c, String table) {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
                + "WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, ds.get("database"));
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Matcher m = JSON_VALID.matcher(rs.getString(1).trim());
                    if (m.matches()) {
                        names.add(m.group(1).replace("``", "`"));
                    }
                }
            }
        } catch (SQLException notMariaDb) {
            return names;
        }
        return names;
    }

    /** The table's primary key columns in key order; empty when it has none (or does not exist). */
    List<String> primaryKey(Connection c, String table) throws SQLException {
        List<String> pk = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, ds.get("database"));
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pk.add(rs.getString(1));
                }
            }
        }
        return pk;
    }

    private TableSchema readSchema(Connection c, String table) throws SQLException {
        boolean zeroDatesBecomeNull = ZeroDateRule.of(ds).writesNull();
        List<String> pk = primaryKey(c, table);
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_MAXIMUM_LENGTH, "
                + "NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, IS_NULLABLE FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, ds.get("database"));
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String dataType = rs.getString(2).toLowerCase();
                    String columnType = lowerCaseOutsideQuotes(rs.getString(3));
                    long length = rs.getObject(4) == null ? -1 : rs.getLong(4);
                    int precision = rs.getObject(5) != null ? rs.getInt(5) : rs.getObject(7) != null ? rs.getInt(7) : -1;
                    int scale = rs.getObject(6) == null ? -1 : rs.getInt(6);
                    // Under zero-date=null a NOT NULL date can still arrive as NULL (see ZeroDateRule): its target
                    // column must take it. A key column stays NOT NULL; a zero date there fails the row.
                    boolean nullable = "YES".equals(rs.getString(8)) || zeroDatesBecomeNull
                            && MySqlTemporalText.isDate(dataType) && !pk.contains(rs.getString(1));
                    columns.add(new Column(rs.getString(1), dataType, columnType, length, precision, scale,
                            nullable, columnType.contains("unsigned")));
                }
            }
        }
        List<String> json = jsonColumns(c, table);
        columns.replaceAll(col -> json.contains(col.name())
                ? new Column(col.name(), "json", "json", col.length(), -1, -1, col.nullable(), false) : col);
        return new TableSchema(ds.get("database"), table, columns, pk);
    }

    /**
     * A COLUMN_TYPE in lower case but for its quoted ENUM and SET values: their case is data (a target created with
     * {@code enum('pg')} would store 'PG' as 'pg'). A quote written twice inside a value keeps it quoted.
     */
    static String lowerCaseOutsideQuotes(String columnType) {
        StringBuilder out = new StringBuilder(columnType.length());
        boolean quoted = false;
        for (char ch : columnType.toCharArray()) {
            if (ch == '\'') {
                quoted = !quoted;
            }
            out.append(quoted || ch == '\'' ? ch : Character.toLowerCase(ch));
        }
        return out.toString();
    }
}
