package io.tapflow.flink.source.postgres;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.sink.jdbc.JdbcConnections;
import io.tapflow.flink.sink.jdbc.PostgresDialect;
import io.tapflow.flink.source.PostgresIntervalText;
import io.tapflow.flink.source.RefusedValue;
import io.tapflow.flink.source.ResultSetSplitReader;
import io.tapflow.flink.source.query.QueryResultKey;
import io.tapflow.flink.source.query.QueryRows;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.postgresql.util.PGInterval;

/**
 * Streams a query's result from PostgreSQL. Temporal and numeric columns are selected as text and parsed exactly
 * (JDBC's java.sql types cut time to milliseconds and shift old dates; see {@link PostgresSnapshotCheck}); what no row
 * value holds (numeric NaN, infinity, 24:00:00) is refused naming the result, column and row, as on the table path.
 */
final class PostgresQueryRows implements QueryRows {
    private static final long serialVersionUID = 1L;
    private static final PostgresDialect DIALECT = new PostgresDialect();
    private static final int FETCH_SIZE = 2_000;
    private final DataSource ds;
    private final TableSchema result;
    private final String select;

    PostgresQueryRows(DataSource resolvedDataSource, TableSchema result, String select) {
        this.ds = resolvedDataSource;
        this.result = result;
        this.select = select;
    }

    /** A session whose text forms the parsers read: timestamptz in UTC, ISO dates, intervals as H:MM:SS. */
    static Connection utcTextSession(DataSource ds) throws SQLException {
        Connection c = JdbcConnections.open(DIALECT, ds);
        try (Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'");
        }
        return c;
    }

    @Override
    public Connection connect() throws SQLException {
        // Read-only, and inside a transaction, where alone the driver streams with a cursor.
        return QueryResultKey.readOnly(utcTextSession(ds));
    }

    @Override
    public PreparedStatement prepare(Connection c) throws SQLException {
        String columns = result.columns().stream()
                .map(col -> asText(col) ? DIALECT.quote(col.name()) + "::text" : DIALECT.quote(col.name()))
                .collect(Collectors.joining(", "));
        PreparedStatement ps = c.prepareStatement("SELECT " + columns + " FROM (" + QueryResultKey.body(select)
                + ") AS tapflow_query");
        ps.setFetchSize(FETCH_SIZE);
        return ps;
    }

    private static boolean asText(Column c) {
        return switch (c.dataType()) {
            case "decimal", "date", "datetime", "timestamp", "time_of_day" -> true;
            default -> false;
        };
    }

    @Override
    public ResultSetSplitReader.RowReader rowReader() {
        String table = result.qualifiedName();
        List<Column> columns = result.columns();
        List<String> key = result.primaryKey();
        return (rs, readAtMs) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                row.put(columns.get(i).name(), value(rs, i + 1, columns.get(i)));
            }
            Map<String, Object> keyValues = new LinkedHashMap<>();
            key.forEach(k -> keyValues.put(k, row.get(k)));
            RefusedValue.refuseIn(table, row, keyValues);
            return new ChangeEvent(Op.READ, table, keyValues, null, row, readAtMs);
        };
    }

    private static Object value(ResultSet rs, int i, Column c) throws SQLException {
        Object v = switch (c.dataType()) {
            case "smallint", "int" -> rs.getInt(i);
            case "bigint" -> rs.getLong(i);
            case "float" -> rs.getFloat(i);
            case "double" -> rs.getDouble(i);
            case "boolean" -> rs.getBoolean(i);
            case "longblob" -> rs.getBytes(i);
            case "decimal" -> {
                String text = rs.getString(i);
                yield text == null ? null : switch (text) {
                    case "NaN", "Infinity", "-Infinity" -> RefusedValue.specialNumber(text);
                    default -> new BigDecimal(text);
                };
            }
            case "date", "datetime", "timestamp", "time_of_day" -> {
                String text = rs.getString(i);
                Object exact = text == null ? null : PostgresTemporalText.parse(c.dataType(), text);
                yield text == null || exact != null ? exact
                        : text.endsWith("infinity") ? RefusedValue.infinity(text) : RefusedValue.timeOfDay(text);
            }
            // The driver's parts of the interval, each with its own sign, as the table path gives them.
            case "interval" -> rs.getObject(i) instanceof PGInterval p ? PostgresIntervalText.iso(p.getYears(),
                    p.getMonths(), p.getDays(), p.getHours(), p.getMinutes(), BigDecimal.valueOf(p.getSeconds())) : null;
            default -> rs.getString(i);
        };
        return rs.wasNull() ? null : v;
    }

    @Override
    public RuntimeException describe(SQLException e) {
        return JdbcConnections.describe(ds, e);
    }

    @Override
    public String name() {
        return result.table();
    }
}
