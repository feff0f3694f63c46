package io.tapflow.flink.source.mysql;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.connector.ConnectionErrors;
import io.tapflow.flink.connector.JdbcDrivers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

/** Opens JDBC connections to a MySQL/MariaDB datasource and turns connection failures into messages a user can act on. */
public final class MySqlConnections {
    private MySqlConnections() {}

    public static String jdbcUrl(DataSource ds) {
        return "jdbc:mysql://" + ds.get("host") + ":" + ds.getInt("port") + "/" + ds.get("database")
                + "?useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=10000&rewriteBatchedStatements=true"
                + "&useUnicode=true&characterEncoding=utf8&serverTimezone=UTC&tinyInt1isBit=false&yearIsDateType=false&zeroDateTimeBehavior=CONVERT_TO_NULL";
    }

    /** Connects with the datasource's (already resolved) credentials. */
    public static Connection open(DataSource ds) {
        Properties props = new Properties();
        props.setProperty("user", ds.get("username"));
        props.setProperty("password", ds.get("password") == null ? "" : ds.get("password"));
        try {
            JdbcDrivers.register();
            return DriverManager.getConnection(jdbcUrl(ds), props);
        } catch (SQLException e) {
            throw describe(ds, e);
        }
    }

    /** The user-facing error for a failed connection or query; never includes the password. */
    public static TapflowException describe(DataSource ds, SQLException e) {
        String where = "datasource '" + ds.name() + "' (mysql at " + ds.get("host") + ":" + ds.get("port") + ")";
        int code = e.getErrorCode();
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (code == 1045) {
            return new TapflowException(where + ": access denied for user '" + ds.get("username")
                    + "': wrong user name or password", e);
        }
        if (code == 1049) {
            return new TapflowException(where + ": database '" + ds.get("database") + "' does not exist", e);
        }
        if (state.startsWith("08")) {
            Optional<TapflowException> unresolved = ConnectionErrors.unresolvedHost(ds, where, e);
            if (unresolved.isPresent()) {
                return unresolved.get();
            }
            return new TapflowException(where + ": cannot connect: " + rootMessage(e)
                    + "; check that the server runs and that host and port are right", e);
        }
        return new TapflowException(where + ": " + e.getMessage(), e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return msg.replaceAll("\\s+", " ").trim();
    }
}
