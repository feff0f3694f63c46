package io.tapflow.flink.source.postgres;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.sink.jdbc.JdbcConnections;
import io.tapflow.flink.sink.jdbc.PostgresDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops a deleted pipeline's replication slot and its publication. A slot outlives its job and makes the server keep
 * WAL for it forever, so deleting the pipeline must drop it. A slot still active just after the job was cancelled is
 * waited for; one still in use after that belongs to a running reader and is left alone with an error.
 */
public final class PostgresReplicationRelease {
    private static final PostgresDialect DIALECT = new PostgresDialect();
    private static final Duration POLL = Duration.ofMillis(200);
    private static final String UNDEFINED_OBJECT = "42704";

    private final DataSource ds;
    private final Duration waitForInactive;

    public PostgresReplicationRelease(DataSource resolvedDataSource, Duration waitForInactive) {
        this.ds = resolvedDataSource;
        this.waitForInactive = waitForInactive;
    }

    /** @return what was released, one line each; empty when the pipeline held nothing on this server */
    public List<String> release(String pipelineName) {
        String slot = PostgresReplicationNames.slotName(pipelineName);
        String publication = PostgresReplicationNames.publicationName(pipelineName);
        List<String> released = new ArrayList<>();
        try (Connection c = JdbcConnections.open(DIALECT, ds)) {
            if (slotExists(c, slot)) {
                awaitInactive(c, slot);
                if (drop(c, slot)) {
                    released.add("released replication slot " + slot + " on datasource " + ds.name());
                }
            }
            if (publicationExists(c, publication)) {
                try (Statement st = c.createStatement()) {
                    st.execute("DROP PUBLICATION " + DIALECT.quote(publication));
                }
                released.add("dropped publication " + publication + " on datasource " + ds.name());
            }
            return released;
        } catch (SQLException e) {
            throw JdbcConnections.describe(ds, e);
        }
    }

    /** Slots are per server; the pipeline's is the one of this name decoding this database. */
    private static boolean slotExists(Connection c, String slot) throws SQLException {
        return firstValue(c, "SELECT 1 FROM pg_replication_slots WHERE slot_name = ? AND database = current_database()",
                slot) != null;
    }

    /** False when the slot went away meanwhile (dropped by hand, say, between the look-up and the drop). */
    private static boolean drop(Connection c, String slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
            ps.setString(1, slot);
            ps.execute();
            return true;
        } catch (SQLException e) {
            if (UNDEFINED_OBJECT.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    private void awaitInactive(Connection c, String slot) throws SQLException {
        long deadline = System.nanoTime() + waitForInactive.toNanos();
        while (true) {
            Integer pid = activePid(c, slot);
            if (pid == null) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TapflowException("replication slot " + slot + " on datasource '" + ds.name()
                        + "' is still in use (by server process " + pid + ") " + waitForInactive.toSeconds()
                        + " s after the job was cancelled; stop whatever reads it and delete the pipeline again");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TapflowException("interrupted while waiting for replication slot " + slot + " to be released", e);
            }
        }
    }

    private static Integer activePid(Connection c, String slot) throws SQLException {
        return (Integer) firstValue(c, "SELECT active_pid FROM pg_replication_slots WHERE slot_name = ? AND active", slot);
    }

    private static boolean publicationExists(Connection c, String publication) throws SQLException {
        return firstValue(c, "SELECT 1 FROM pg_publication WHERE pubname = ?", publication) != null;
    }

    /** The first column of the first row a one-parameter query returns; null when it returns no row. */
    private static Object firstValue(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        }
    }
}
