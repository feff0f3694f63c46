package io.tapflow.api;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tapflow.dsl.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Reads PostgreSQL and MySQL/MariaDB tables through a small connection pool, every value a bound parameter. */
final class JdbcBackend implements Backend {
    /** How long a query waits for a free connection before its request fails with a 503. */
    private static final long CONNECTION_WAIT_MILLIS = 5_000;
    private final SqlDialect dialect;
    private final String schema;
    private final String datasourceName;
    private final HikariDataSource pool;
    private final int timeoutSeconds;
    private final boolean timeoutPerStatement;
    /**
     * Queries wait here for one of the pool's connections, first come first served. Hikari's own wait lets a thread
     * that has just returned a connection, or one just arrived, take it ahead of those already waiting: with more
     * requests in flight than connections an unlucky request lost many turns in a row, and the latency tail showed it
     * (DataApiBenchmark).
     */
    private final Semaphore turns;
    private final int poolSize;

    JdbcBackend(SqlDialect dialect, DataSource ds, int timeoutSeconds, int poolSize) {
        this.dialect = dialect;
        this.schema = dialect.schema(ds);
        this.datasourceName = ds.name();
        this.timeoutSeconds = timeoutSeconds;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(dialect.jdbcUrl(ds));
        config.setUsername(ds.get("username"));
        config.setPassword(ds.get("password"));
        config.setPoolName("tapflow-api-" + ds.name());
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        config.setReadOnly(true);
        config.setInitializationFailTimeout(-1); // a datasource that is down fails its requests (503), not the server
        config.setConnectionTimeout(CONNECTION_WAIT_MILLIS);
        String sessionTimeout = dialect.sessionTimeout(timeoutSeconds);
        this.timeoutPerStatement = sessionTimeout == null;
        if (sessionTimeout != null) {
            config.setConnectionInitSql(sessionTimeout);
        }
        this.pool = new HikariDataSource(config);
        this.turns = new Semaphore(poolSize, true);
        this.poolSize = poolSize;
    }

    /** Queries holding a turn or waiting for one: lets a test line requests up without guessing at timings. */
    int queriesInLine() {
        return poolSize - turns.availablePermits() + turns.getQueueLength();
    }

    @Override
    public Optional<TableSchema> describe(String table) {
        try (Connection c = pool.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            String catalog = schema == null ? c.getCatalog() : null;
            Map<String, Column> columns = new LinkedHashMap<>();
            try (ResultSet rs = meta.getColumns(catalog, schema, table, null)) {
                while (rs.next()) {
                    String name = rs.getString("COLUMN_NAME");
                    String typeName = rs.getString("TYPE_NAME");
                    columns.put(name, new Column(name, typeOf(dialect, rs.getInt("DATA_TYPE"), typeName),
                            rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls, typeName));
                }
            }
            if (columns.isEmpty()) {
                return Optional.empty();
            }
            Map<Integer, String> key = new TreeMap<>();
            try (ResultSet rs = meta.getPrimaryKeys(catalog, schema, table)) {
                while (rs.next()) {
                    key.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
                }
            }
            return Optional.of(new TableSchema(table, columns, List.copyOf(key.values())));
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public List<Map<String, Object>> find(TableSchema schema, ReadQuery query) {
        SqlQuery sql = SqlQuery.select(dialect, qualified(schema.table()), schema, query);
        List<Column> columns = query.columns().stream().map(schema::column).toList();
        List<Map<String, Object>> rows = new ArrayList<>();
        run(sql, rs -> {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    row.put(columns.get(i).name(), readExactly(rs, i + 1, columns.get(i), schema));
                }
                rows.add(row);
            }
            return null;
        });
        return rows;
    }

    @Override
    public long count(TableSchema schema, Condition where) {
        return run(SqlQuery.count(dialect, qualified(schema.table()), where), rs -> {
            rs.next();
            return rs.getLong(1);
        });
    }

    @Override
    public void close() {
        pool.close();
    }

    private interface ResultReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T run(SqlQuery sql, ResultReader<T> reader) {
        boolean turn;
        try {
            turn = turns.tryAcquire(CONNECTION_WAIT_MILLIS, TimeUnit.MILLISECONDS); // timed, so it keeps the queue's order
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            turn = false;
        }
        if (!turn) {
            ApiLog.LOG.warn("datasource '{}': no free connection within {} ms", datasourceName, CONNECTION_WAIT_MILLIS);
            throw unavailable();
        }
        try {
            return runNow(sql, reader);
        } finally {
            turns.release();
        }
    }

    private <T> T runNow(SqlQuery sql, ResultReader<T> reader) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql.sql.toString())) {
            if (timeoutPerStatement) {
                ps.setQueryTimeout(timeoutSeconds);
            }
            for (int i = 0; i < sql.params.size(); i++) {
                ps.setObject(i + 1, sql.params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                return reader.read(rs);
            }
        } catch (SQLTimeoutException e) {
            throw new ProblemException(504, "Query Timeout", "the query took longer than " + timeoutSeconds + " s; narrow the filter");
        } catch (SQLException e) {
            // PostgreSQL reports a cancelled statement as SQLState 57014 rather than as a SQLTimeoutException.
            if ("57014".equals(e.getSQLState())) {
                throw new ProblemException(504, "Query Timeout", "the query took longer than " + timeoutSeconds + " s; narrow the filter");
            }
            throw unavailable(e);
        }
    }

    /** Driver text can carry SQL and values: the client learns only that the datasource failed; the server log has the rest. */
    private ProblemException unavailable(SQLException e) {
        ApiLog.LOG.warn("datasource '{}' failed: SQLState {} {}", datasourceName, e.getSQLState(), e.getMessage());
        return unavailable();
    }

    private static ProblemException unavailable() {
        return new ProblemException(503, "Service Unavailable", "the datasource behind this API did not answer; try again later");
    }

    private String qualified(String table) {
        return schema == null ? dialect.quote(table) : dialect.quote(schema) + "." + dialect.quote(table);
    }

    /**
     * A value the driver cannot give as its type (a MySQL zero date, a PostgreSQL numeric NaN or infinity) is never
     * replaced by NULL or a default: the request fails naming table, column and the row's key.
     */
    private static Object readExactly(ResultSet rs, int i, Column column, TableSchema schema) throws SQLException {
        try {
            return read(rs, i, column);
        } catch (SQLException | RuntimeException e) {
            List<String> key = new ArrayList<>();
            for (String k : schema.primaryKey()) {
                key.add(k + "=" + rs.getString(k));
            }
            throw new ProblemException(500, "Unrepresentable Value", schema.table() + "." + column.name() + " of the row with "
                    + String.join(", ", key) + " holds a value that cannot be returned as " + column.type().displayName()
                    + " (" + column.databaseType() + "); correct the row, or leave the field out of the API");
        }
    }

    private static Object read(ResultSet rs, int i, Column column) throws SQLException {
        Object value = switch (column.type()) {
            case DATE -> rs.getObject(i, LocalDate.class);
            case DATETIME -> rs.getObject(i, LocalDateTime.class);
            case TIMESTAMP -> rs.getObject(i, OffsetDateTime.class);
            case DECIMAL -> rs.getBigDecimal(i);
            case TIME -> rs.getObject(i, LocalTime.class);
            default -> rs.getObject(i);
        };
        return rs.wasNull() ? null : value;
    }

    static ColumnType typeOf(SqlDialect dialect, int sqlType, String typeName) {
        String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        // PostgreSQL's timestamptz and MySQL's TIMESTAMP are instants; PostgreSQL's timestamp and MySQL's DATETIME are
        // wall-clock times.
        if (name.equals("timestamptz") || sqlType == Types.TIMESTAMP_WITH_TIMEZONE
                || (dialect == SqlDialect.MYSQL && name.equals("timestamp"))) {
            return ColumnType.TIMESTAMP;
        }
        return switch (sqlType) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> name.contains("unsigned") && name.contains("bigint")
                    ? ColumnType.DECIMAL : ColumnType.INTEGER;
            case Types.DECIMAL, Types.NUMERIC -> ColumnType.DECIMAL;
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> ColumnType.DOUBLE;
            case Types.BIT, Types.BOOLEAN -> name.equals("bit") ? ColumnType.OTHER : ColumnType.BOOLEAN;
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR, Types.CLOB ->
                    ColumnType.STRING;
            case Types.DATE -> name.equals("year") ? ColumnType.INTEGER : ColumnType.DATE;
            case Types.TIMESTAMP -> ColumnType.DATETIME;
            case Types.TIME -> ColumnType.TIME;
            default -> ColumnType.OTHER;
        };
    }
}
