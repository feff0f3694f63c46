package io.tapflow.flink.verify;

import io.tapflow.flink.sink.jdbc.JdbcDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The JDBC queries the MySQL and PostgreSQL readers share: one connection per query, identifiers quoted and values
 * bound as the database's sink does (its {@link JdbcDialect}), errors described by the datasource (never its password).
 */
abstract class JdbcTables implements SqlTables {
    private final JdbcDialect dialect;

    JdbcTables(JdbcDialect dialect) {
        this.dialect = dialect;
    }

    /** Makes the row mapper of a result (PostgreSQL's reads the result's column types). */
    interface RowMappers {
        JdbcRowCursor.RowMapper of(ResultSet rs) throws SQLException;
    }

    abstract Connection connect();

    abstract RuntimeException describe(SQLException e);

    /** Sets the connection and statement up to stream a large result instead of holding it in memory. */
    abstract void streaming(Connection c, PreparedStatement ps) throws SQLException;

    @Override
    public final String quote(String identifier) {
        return dialect.quote(identifier);
    }

    @Override
    public final List<Object> queryRow(String sql, List<Object> parameters) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            return JdbcQueries.firstRow(ps, parameters);
        } catch (SQLException e) {
            throw describe(e);
        }
    }

    /**
     * The rows of a select, streamed: the cursor holds its own connection until closed (a streaming result blocks
     * its connection until read to the end). A range binds the select's two parameters, its lower and upper bound.
     */
    final RowCursor stream(String sql, KeyRange range, RowMappers mappers) {
        Connection c = connect();
        try {
            PreparedStatement ps = c.prepareStatement(sql);
            streaming(c, ps);
            if (range != null) {
                ps.setLong(1, range.from());
                ps.setLong(2, range.to());
            }
            JdbcRowCursor.RowMapper[] mapper = new JdbcRowCursor.RowMapper[1];
            RowCursor cursor = new JdbcRowCursor(ps, rs -> {
                if (mapper[0] == null) {
                    mapper[0] = mappers.of(rs);
                }
                return mapper[0].read(rs);
            }, this::describe);
            return new RowCursor() {
                @Override
                public Map<String, Object> next() {
                    return cursor.next();
                }

                @Override
                public void close() {
                    try (c) {
                        cursor.close();
                        if (!c.getAutoCommit()) {
                            c.rollback(); // only read; end the transaction a cursor needed
                        }
                    } catch (SQLException e) {
                        throw describe(e);
                    }
                }
            };
        } catch (SQLException e) {
            throw closedAfter(c, e);
        }
    }

    /** Closes a connection a failure left half set up, and describes the failure. */
    final RuntimeException closedAfter(Connection c, SQLException e) {
        try {
            c.close();
        } catch (SQLException closing) {
            e.addSuppressed(closing);
        }
        return describe(e);
    }

    /** The rows of a table. */
    final long countRows(String qualifiedTable) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + qualifiedTable);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw describe(e);
        }
    }

    /** The rows a select ({@code SELECT ... FROM table}) gives where the columns hold these values. */
    final List<Map<String, Object>> selectWhere(String select, List<String> columns, List<Object> values, RowMappers mappers) {
        String where = columns.stream().map(col -> quote(col) + " = ?").collect(Collectors.joining(" AND "));
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(select + " WHERE " + where)) {
            for (int i = 0; i < values.size(); i++) {
                dialect.bind(ps, i + 1, values.get(i));
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                JdbcRowCursor.RowMapper mapper = mappers.of(rs);
                while (rs.next()) {
                    rows.add(mapper.read(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw describe(e);
        }
    }
}
