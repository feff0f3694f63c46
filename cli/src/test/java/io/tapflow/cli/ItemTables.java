package io.tapflow.cli;

import io.tapflow.servers.SharedServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code item} table of the cluster tests: filled in bulk, changed by a background writer (inserts, updates,
 * deletes), and read back from MariaDB and PostgreSQL as comparable rows.
 */
final class ItemTables {
    static final String DDL = "CREATE TABLE item (id INT PRIMARY KEY, qty INT NOT NULL, note VARCHAR(100))";

    private ItemTables() {}

    static void insert(String database, int fromId, int toId) throws SQLException {
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(database);
             PreparedStatement ps = c.prepareStatement("INSERT INTO item VALUES (?,?,?)")) {
            for (int id = fromId; id <= toId; id++) {
                ps.setInt(1, id);
                ps.setInt(2, id % 100);
                ps.setString(3, "item " + id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static Map<Integer, String> readMariaDb(String database) throws SQLException {
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(database)) {
            return read(c, "SELECT id, qty, note FROM item");
        }
    }

    static Map<Integer, String> readPostgres(String database) {
        try (Connection c = SharedServers.postgres().connect(database)) {
            return read(c, "SELECT id, qty, note FROM public.item");
        } catch (SQLException e) {
            return Map.of();
        }
    }

    private static Map<Integer, String> read(Connection c, String sql) throws SQLException {
        Map<Integer, String> rows = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.put(rs.getInt(1), rs.getInt(2) + "|" + rs.getString(3));
            }
        }
        return rows;
    }

    /** Inserts, updates and deletes rows (never those below {@code protectedBelow}) until stopped. */
    static final class Writer implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final AtomicInteger changes = new AtomicInteger();
        private final Thread thread;

        Writer(String database, int nextId, int protectedBelow) {
            thread = new Thread(() -> write(database, nextId, protectedBelow), "item writer");
            thread.start();
        }

        private void write(String database, int firstNewId, int protectedBelow) {
            Random random = new Random(42);
            int nextId = firstNewId;
            try (Connection c = SharedServers.mariaDb().connectAsAdmin(database); Statement s = c.createStatement()) {
                while (running.get()) {
                    int kind = random.nextInt(10);
                    int id = protectedBelow + random.nextInt(nextId - protectedBelow);
                    if (kind < 4) {
                        s.executeUpdate("INSERT INTO item VALUES (" + nextId + ", 1, 'new " + nextId + "')");
                        nextId++;
                    } else if (kind < 8) {
                        s.executeUpdate("UPDATE item SET qty = qty + 1, note = 'changed " + changes.get() + "' WHERE id = " + id);
                    } else {
                        s.executeUpdate("DELETE FROM item WHERE id = " + id);
                    }
                    changes.incrementAndGet();
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                failure.set(e);
            }
        }

        int changes() {
            return changes.get();
        }

        /** Stops writing and rethrows what made the writer fail, if anything did. */
        @Override
        public void close() throws Exception {
            running.set(false);
            thread.join();
            if (failure.get() != null) {
                throw failure.get();
            }
        }
    }
}
