package io.tapflow.flink.source.mysql.snapshot;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.source.mysql.MySqlConnections;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Connections for reading a snapshot: the session in UTC, and patient with a reader that pauses under backpressure. */
public final class SnapshotConnections {
    private SnapshotConnections() {}

    public static Connection open(DataSource ds) throws SQLException {
        Connection c = MySqlConnections.open(ds);
        try (Statement s = c.createStatement()) {
            // UTC: TIMESTAMP text then is the stored instant. net_write_timeout: a streamed result waits while the
            // pipeline is backpressured; the server's default 60 s would cut the connection.
            s.execute("SET time_zone = '+00:00', net_write_timeout = 3600");
        } catch (SQLException e) {
            try {
                c.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return c;
    }
}
