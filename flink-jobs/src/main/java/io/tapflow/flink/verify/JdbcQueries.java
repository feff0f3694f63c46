package io.tapflow.flink.verify;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** One-row JDBC queries, for checksums and key bounds. */
final class JdbcQueries {
    private JdbcQueries() {}

    static List<Object> firstRow(PreparedStatement ps, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            ps.setObject(i + 1, parameters.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
            List<Object> row = new ArrayList<>();
            if (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getObject(i));
                }
            }
            return row;
        }
    }
}
