package io.tapflow.flink.connector;

import java.sql.Driver;
import java.util.ServiceLoader;

/**
 * Registers the JDBC drivers bundled in the job jar with {@link java.sql.DriverManager}. On a Flink cluster the job's
 * classes live in a per-job class loader that DriverManager's own driver scan (done once per JVM, with the system class
 * loader) never sees, so without this every connection fails with "No suitable driver". Each job class loader gets its
 * own copy of this class, hence one registration per job (re)start.
 */
public final class JdbcDrivers {
    private static volatile boolean registered;

    private JdbcDrivers() {}

    public static void register() {
        if (registered) {
            return;
        }
        synchronized (JdbcDrivers.class) {
            // Instantiating a driver runs its static initializer, which registers it with DriverManager.
            ServiceLoader.load(Driver.class, JdbcDrivers.class.getClassLoader()).forEach(driver -> { });
            registered = true;
        }
    }
}
