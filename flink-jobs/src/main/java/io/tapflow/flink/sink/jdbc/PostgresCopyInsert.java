package io.tapflow.flink.sink.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Iterator;
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
    /** The last statement made, for the table and columns it was made for: batches of one table repeat it. */
    private String sql;
    private String sqlTable;
    private List<String> sqlColumns;

    PostgresCopyInsert(Connection connection, JdbcDialect dialect) throws SQLException {
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI();
        this.dialect = dialect;
    }

    @Override
    public void insert(String qualifiedTable, List<String> columns, List<Map<String, Object>> rows) throws SQLException {
        encoder.reset();
        for (Map<String, Object> row : rows) {
            // Rows are LinkedHashMaps in column order: walk their entries while they match the columns, and look a
            // column up only from where they do not (a hash lookup per field was a tenth of the snapshot's JVM time).
            Iterator<Map.Entry<String, Object>> entries = row.entrySet().iterator();
            boolean inOrder = true;
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0) {
                    encoder.columnSeparator();
                }
                String column = columns.get(i);
                Map.Entry<String, Object> entry = inOrder && entries.hasNext() ? entries.next() : null;
                inOrder = entry != null && entry.getKey().equals(column);
                encoder.value(column, inOrder ? entry.getValue() : row.get(column));
            }
            encoder.rowEnd();
        }
        if (!qualifiedTable.equals(sqlTable) || !columns.equals(sqlColumns)) {
            sqlTable = qualifiedTable;
            sqlColumns = List.copyOf(columns);
            sql = "COPY " + qualifiedTable + " (" + columns.stream().map(dialect::quote).collect(Collectors.joining(", "))
                    + ") FROM STDIN";
        }
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
