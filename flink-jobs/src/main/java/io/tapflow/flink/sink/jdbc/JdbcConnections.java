package io.tapflow.flink.sink.jdbc;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.connector.ConnectionErrors;
import io.tapflow.flink.connector.JdbcDrivers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

/** Connections to a JDBC target, with errors that name the datasource but never the password. */
public final class JdbcConnections {
    private JdbcConnections() {}

    public static Connection open(JdbcDialect dialect, DataSource ds) {
        Properties props = new Properties();
        props.setProperty("user", ds.get("username"));
        props.setProperty("password", ds.get("password") == null ? "" : ds.get("password"));
        try {
            JdbcDrivers.register();
            return DriverManager.getConnection(dialect.jdbcUrl(ds), props);
        } catch (SQLException e) {
            throw describe(ds, e);
        }
    }

    public static TapflowException describe(DataSource ds, SQLException e) {
        String where = "datasource '" + ds.name() + "' (" + ds.type() + " at " + ds.get("host") + ":" + ds.get("port") + ")";
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if ("28P01".equals(state) || "28000".equals(state) || e.getErrorCode() == 1045) {
            return new TapflowException(where + ": access denied for user '" + ds.get("username")
                    + "': wrong user name or password", e);
        }
        if ("3D000".equals(state) || e.getErrorCode() == 1049) {
            return new TapflowException(where + ": database '" + ds.get("database") + "' does not exist", e);
        }
        if (state.startsWith("08")) {
            Optional<TapflowException> unresolved = ConnectionErrors.unresolvedHost(ds, where, e);
            if (unresolved.isPresent()) {
                return unresolved.get();
            }
            return new TapflowException(where + ": cannot connect (" + e.getMessage()
                    + "); check that the server runs and that host and port are right", e);
        }
        return new TapflowException(where + ": " + e.getMessage(), e);
    }
}
