package io.tapflow.flink.sink.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/** Bulk insert into PostgreSQL with COPY FROM STDIN: the rows go as one stream of text, parsed by the server in bulk. */
final class PostgresCopyInsert implements BulkInsert {
    private static final String UNIQUE_VIOLATION = "23505";
    private final CopyManager copy;
    private final JdbcDialect dialect;
    private final CopyTextEncoder encoder = new CopyTextEncoder();

    PostgresCopyInsert(Connection connection, JdbcDialect dialect) throws SQLException {
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI();
        this.dialect = dialect;
    }

    @Override
    public void insert(String qualifiedTable, List<String> columns, List<Map<String, Object>> rows) throws SQLException {
        encoder.reset();
        for (Map<String, Object> row : rows) {
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0) {
                    encoder.columnSeparator();
                }
                String column = columns.get(i);
                encoder.value(column, row.get(column));
            }
            encoder.rowEnd();
        }
        String sql = "COPY " + qualifiedTable + " (" + columns.stream().map(dialect::quote).collect(Collectors.joining(", "))
                + ") FROM STDIN";
        CopyIn in = copy.copyIn(sql);
        try {
            in.writeToCopy(encoder.buffer(), 0, encoder.size());
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    @Override
    public boolean isKeyConflict(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState());
    }
}
