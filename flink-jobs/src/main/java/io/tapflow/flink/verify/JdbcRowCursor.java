package io.tapflow.flink.verify;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Function;

/** A {@link RowCursor} over a streamed JDBC result; database errors become the caller's message. */
final class JdbcRowCursor implements RowCursor {
    /** Reads the current row of a result set. */
    interface RowMapper {
        Map<String, Object> read(ResultSet rs) throws SQLException;
    }

    private final PreparedStatement statement;
    private final ResultSet rows;
    private final RowMapper mapper;
    private final Function<SQLException, RuntimeException> describe;

    JdbcRowCursor(PreparedStatement statement, RowMapper mapper, Function<SQLException, RuntimeException> describe)
            throws SQLException {
        this.statement = statement;
        this.rows = statement.executeQuery();
        this.mapper = mapper;
        this.describe = describe;
    }

    @Override
    public Map<String, Object> next() {
        try {
            return rows.next() ? mapper.read(rows) : null;
        } catch (SQLException e) {
            throw describe.apply(e);
        }
    }

    @Override
    public void close() {
        try {
            statement.close();
        } catch (SQLException e) {
            throw describe.apply(e);
        }
    }
}
