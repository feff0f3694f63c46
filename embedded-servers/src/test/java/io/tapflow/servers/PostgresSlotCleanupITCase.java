package io.tapflow.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/** A test class's leftover replication slot is dropped after the class; one that existed before it is kept. */
class PostgresSlotCleanupITCase {

    @Test
    void slotsATestClassLeavesAreDroppedAfterIt() throws Exception {
        PostgresServer pg = SharedServers.postgres();
        execute(pg, "SELECT pg_create_logical_replication_slot('tapflow_cleanup_kept', 'pgoutput')");
        try {
            SummaryGeneratingListener summary = new SummaryGeneratingListener();
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(LeavesASlot.class))
                    .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true").build(), summary);
            assertThat(summary.getSummary().getTestsSucceededCount()).isEqualTo(1);
            assertThat(tapflowSlots(pg)).contains("tapflow_cleanup_kept").doesNotContain("tapflow_cleanup_probe");
        } finally {
            execute(pg, "SELECT pg_drop_replication_slot('tapflow_cleanup_kept')");
        }
    }

    /** Stands for a test class whose pipeline read PostgreSQL; run only by the test above (an inner class). */
    static class LeavesASlot {
        @Test
        void makesASlot() throws SQLException {
            execute(SharedServers.postgres(), "SELECT pg_create_logical_replication_slot('tapflow_cleanup_probe', 'pgoutput')");
        }
    }

    private static void execute(PostgresServer pg, String sql) throws SQLException {
        try (Connection c = pg.connect("postgres"); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> tapflowSlots(PostgresServer pg) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = pg.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE 'tapflow%'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
