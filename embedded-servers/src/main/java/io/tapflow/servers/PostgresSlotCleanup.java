package io.tapflow.servers;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Drops the replication slots a test class's pipelines left on the shared PostgreSQL once the class is done. A
 * pipeline keeps its slot after its job ends so that it can resume (only deleting the pipeline releases it), which
 * in a test run means one slot per PostgreSQL-source pipeline until the server runs out. Only tapflow's slots made
 * during the class and no longer in use are dropped. Test classes of one JVM run one after another, so a class's
 * slots are its own. Loaded by JUnit's extension auto-detection (enabled for failsafe in the parent pom).
 */
public final class PostgresSlotCleanup implements BeforeAllCallback, AfterAllCallback {
    private static final String TAPFLOW_SLOTS = "tapflow\\_%";
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresSlotCleanup.class);

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        Set<String> before = new HashSet<>();
        var server = SharedServers.postgresIfStarted();
        if (server.isPresent()) {
            before.addAll(slots(server.get(), false));
        }
        context.getStore(NAMESPACE).put("before", before);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterAll(ExtensionContext context) throws SQLException {
        var server = SharedServers.postgresIfStarted();
        Set<String> before = context.getStore(NAMESPACE).get("before", Set.class);
        if (server.isEmpty() || before == null) {
            return;
        }
        try (Connection c = server.get().connect("postgres"); Statement s = c.createStatement()) {
            for (String slot : slots(server.get(), true)) {
                if (!before.contains(slot)) {
                    s.execute("SELECT pg_drop_replication_slot('" + slot.replace("'", "''") + "')");
                }
            }
        }
    }

    /** tapflow's slots on the server; with {@code inactiveOnly}, those no job reads now. */
    private static Set<String> slots(PostgresServer server, boolean inactiveOnly) throws SQLException {
        Set<String> out = new HashSet<>();
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE '" + TAPFLOW_SLOTS
                     + "'" + (inactiveOnly ? " AND NOT active" : ""))) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
