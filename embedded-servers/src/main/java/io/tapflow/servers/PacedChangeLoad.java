package io.tapflow.servers;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Changes a MariaDB table {@code items(id INT PRIMARY KEY, qty INT, note VARCHAR(40))} at a set rate until closed: every
 * 10 ms one transaction of multi-row statements (upserts of existing and new ids, deletes), larger when it fell behind
 * its schedule, so one connection keeps up with thousands of changes a second. Ids below {@code protectedBelow} are never touched. A failed transaction (the
 * server restarting) is retried on a new connection; a change counts once committed. The achieved rate is reported as
 * measured, whatever was asked for.
 *
 * <p>Every change is accounted for: each one writes its own sequence number into {@code note} ({@code i<n>} for an
 * insert, {@code u<n>} for an update), an update adds 1 to {@code qty}, and the load applies each committed
 * transaction to a model of the rows it owns. A target equal to {@link #expectedRows()} has every insert and delete
 * and, through {@code qty}, every update of every row, not just the last state a comparison with the source shows.
 */
public final class PacedChangeLoad implements AutoCloseable {
    /** The table's definition in MariaDB. */
    public static final String DDL = "CREATE TABLE items (id INT PRIMARY KEY, qty INT NOT NULL, note VARCHAR(40))";
    private static final long TICK_MS = 10;

    /** Opens a connection to the source database. */
    public interface Connector {
        Connection open() throws SQLException;
    }

    private final Connector connector;
    private final int perTick;
    private final int changesPerSecond;
    private final int protectedBelow;
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong failedTransactions = new AtomicLong();
    private final AtomicLong unknownOutcomes = new AtomicLong();
    private final AtomicReference<Exception> lastFailure = new AtomicReference<>();
    private final Random random = new Random(17);
    private final Map<Integer, String> model;
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    private volatile boolean running = true;
    private volatile long stopNanos;
    private long sequence;
    private long forgiven;
    private int nextId;

    /**
     * Reads the rows it may change (ids from protectedBelow) as the start of its model, then starts changing them.
     *
     * @param firstNewId ids from here are inserted; ids from protectedBelow up to it exist when the load starts
     */
    public PacedChangeLoad(Connector connector, int changesPerSecond, int protectedBelow, int firstNewId) throws SQLException {
        this.connector = connector;
        this.perTick = Math.max(3, (int) (changesPerSecond * TICK_MS / 1000));
        this.changesPerSecond = changesPerSecond;
        this.protectedBelow = protectedBelow;
        this.nextId = firstNewId;
        try (Connection c = connector.open()) {
            this.model = rows(c, protectedBelow);
        }
        this.thread = new Thread(this::run, "paced change load");
        thread.start();
    }

    /** The rows of {@code items} with ids from {@code fromId}, as {@code id -> "qty|note"}, in id order. */
    public static Map<Integer, String> rows(Connection connection, int fromId) throws SQLException {
        Map<Integer, String> rows = new TreeMap<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, qty, note FROM items WHERE id >= " + fromId)) {
            while (rs.next()) {
                rows.put(rs.getInt(1), rs.getInt(2) + "|" + rs.getString(3));
            }
        }
        return rows;
    }

    private void run() {
        Connection connection = null;
        long next = System.nanoTime();
        while (running) {
            try {
                if (connection == null) {
                    connection = connector.open();
                    connection.setAutoCommit(false);
                }
                int size = nextSize();
                if (size > 0) {
                    committed.addAndGet(writeOneTransaction(connection, size));
                }
            } catch (SQLException e) {
                failedTransactions.incrementAndGet();
                lastFailure.set(e);
                closeQuietly(connection);
                connection = null;
            }
            next += TICK_MS * 1_000_000;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                sleep(wait / 1_000_000);
            } else if (wait < -1_000_000_000L) {
                next = System.nanoTime(); // an outage: do not try to make up for it in one burst
            }
        }
        closeQuietly(connection);
        stopNanos = System.nanoTime();
    }

    /**
     * The changes of the next transaction: those the schedule has due by the end of this tick and not yet committed,
     * at most four ticks' worth (so a slow moment is made up soon, not in one burst). A backlog over a second's worth
     * is an outage and is forgiven, not made up.
     */
    private int nextSize() {
        long due = (long) ((System.nanoTime() - startNanos + TICK_MS * 1_000_000) / 1e9 * changesPerSecond) - forgiven;
        long behind = due - committed.get();
        if (behind > changesPerSecond) {
            forgiven += behind - perTick;
            behind = perTick;
        }
        return (int) Math.max(0, Math.min(behind, 4L * perTick));
    }

    /** A change of one row: an upsert (qty/note as written when new) or a delete. */
    private record Change(int id, boolean delete, String note) {}

    /** A third of the changes insert new rows, half update existing ones, the rest delete: all in one transaction. */
    private int writeOneTransaction(Connection connection, int size) throws SQLException {
        int inserts = size / 3;
        int deletes = size / 6;
        int updates = size - inserts - deletes;
        int firstNew = nextId;
        List<Change> changes = new ArrayList<>(size);
        StringJoiner upserts = new StringJoiner(",", "INSERT INTO items (id, qty, note) VALUES ",
                " ON DUPLICATE KEY UPDATE qty = qty + 1, note = VALUES(note)");
        for (int i = 0; i < inserts + updates; i++) {
            Change upsert = new Change(i < inserts ? firstNew + i : randomId(firstNew), false,
                    (i < inserts ? "i" : "u") + (sequence + changes.size()));
            changes.add(upsert);
            upserts.add("(" + upsert.id() + ", 1, '" + upsert.note() + "')");
        }
        StringJoiner deleted = new StringJoiner(",", "DELETE FROM items WHERE id IN (", ")");
        for (int i = 0; i < deletes; i++) {
            Change delete = new Change(randomId(firstNew), true, null);
            changes.add(delete);
            deleted.add(String.valueOf(delete.id()));
        }
        try (Statement s = connection.createStatement()) {
            if (inserts + updates > 0) {
                s.executeUpdate(upserts.toString());
            }
            if (deletes > 0) {
                s.executeUpdate(deleted.toString());
            }
        } catch (SQLException e) {
            rollback(connection, e);
            throw e;
        }
        try {
            connection.commit();
        } catch (SQLException e) {
            // The server may have committed before the connection broke: the model can no longer be trusted.
            unknownOutcomes.incrementAndGet();
            throw e;
        }
        apply(changes);
        nextId = firstNew + inserts;
        sequence += changes.size();
        return size;
    }

    /** What MariaDB did with the statements, in their order: an upsert of an existing row adds 1 to qty. */
    private synchronized void apply(List<Change> changes) {
        for (Change c : changes) {
            if (c.delete()) {
                model.remove(c.id());
            } else {
                String before = model.get(c.id());
                int qty = before == null ? 1 : Integer.parseInt(before.substring(0, before.indexOf('|'))) + 1;
                model.put(c.id(), qty + "|" + c.note());
            }
        }
    }

    private static void rollback(Connection connection, SQLException e) {
        try {
            connection.rollback();
        } catch (SQLException rollback) {
            e.addSuppressed(rollback);
        }
    }

    private int randomId(int below) {
        return protectedBelow + random.nextInt(below - protectedBelow);
    }

    /** Changes committed so far (a statement's rows, as asked: an update of a row deleted meanwhile still counts). */
    public long changes() {
        return committed.get();
    }

    /** Changes committed per second over the load's life so far (or until it was stopped). */
    public double achievedPerSecond() {
        long end = stopNanos != 0 ? stopNanos : System.nanoTime();
        return committed.get() * 1e9 / (end - startNanos);
    }

    public long failedTransactions() {
        return failedTransactions.get();
    }

    /**
     * The rows the load owns (ids from protectedBelow) as its committed transactions left them, {@code id -> "qty|note"};
     * call after close(). Fails when a commit broke off with its outcome unknown (the server went away during COMMIT).
     */
    public synchronized Map<Integer, String> expectedRows() {
        if (unknownOutcomes.get() > 0) {
            throw new IllegalStateException(unknownOutcomes.get() + " commit(s) broke off with their outcome unknown: "
                    + "the expected rows cannot be known");
        }
        return new TreeMap<>(model);
    }

    /** True unless a commit broke off with its outcome unknown, which leaves {@link #expectedRows()} unknowable. */
    public boolean outcomesKnown() {
        return unknownOutcomes.get() == 0;
    }

    /** Stops the load and waits for its last transaction; throws if none ever succeeded. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
        if (committed.get() == 0 && lastFailure.get() != null) {
            throw new IllegalStateException("the change load never committed a change", lastFailure.get());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the server went away; the next transaction opens a new connection
            }
        }
    }
}
