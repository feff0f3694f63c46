package io.tapflow.flink;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Changes a MariaDB table {@code items(id INT PRIMARY KEY, qty INT, note VARCHAR(40))} at a set rate until closed: every
 * 10 ms one transaction of multi-row statements (upserts of existing and new ids, deletes), so one connection keeps up
 * with thousands of changes a second. Ids below {@code protectedBelow} are never touched. A failed transaction (the
 * server restarting) is retried on a new connection; a change counts once committed. The achieved rate is reported as
 * measured, whatever was asked for.
 */
final class PacedChangeLoad implements AutoCloseable {
    private static final long TICK_MS = 10;

    /** Opens a connection to the source database. */
    interface Connector {
        Connection open() throws SQLException;
    }

    private final Connector connector;
    private final int perTick;
    private final int protectedBelow;
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong failedTransactions = new AtomicLong();
    private final AtomicReference<SQLException> lastFailure = new AtomicReference<>();
    private final Random random = new Random(17);
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    private volatile boolean running = true;
    private volatile long stopNanos;
    private int nextId;

    /** @param firstNewId ids from here are inserted; ids from protectedBelow up to it exist when the load starts */
    PacedChangeLoad(Connector connector, int changesPerSecond, int protectedBelow, int firstNewId) {
        this.connector = connector;
        this.perTick = Math.max(3, (int) (changesPerSecond * TICK_MS / 1000));
        this.protectedBelow = protectedBelow;
        this.nextId = firstNewId;
        this.thread = new Thread(this::run, "paced change load");
        thread.start();
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
                int written = writeOneTransaction(connection);
                committed.addAndGet(written);
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

    /** A third of the changes insert new rows, half update existing ones, the rest delete: all in one transaction. */
    private int writeOneTransaction(Connection connection) throws SQLException {
        int inserts = perTick / 3;
        int deletes = perTick / 6;
        int updates = perTick - inserts - deletes;
        int firstNew = nextId;
        StringJoiner upserts = new StringJoiner(",", "INSERT INTO items (id, qty, note) VALUES ",
                " ON DUPLICATE KEY UPDATE qty = qty + 1, note = VALUES(note)");
        for (int i = 0; i < inserts; i++) {
            upserts.add("(" + (firstNew + i) + ", 1, 'new')");
        }
        for (int i = 0; i < updates; i++) {
            upserts.add("(" + randomId(firstNew) + ", 1, 'changed " + committed.get() + "')");
        }
        StringJoiner deleted = new StringJoiner(",", "DELETE FROM items WHERE id IN (", ")");
        for (int i = 0; i < deletes; i++) {
            deleted.add(String.valueOf(randomId(firstNew)));
        }
        try (Statement s = connection.createStatement()) {
            s.executeUpdate(upserts.toString());
            s.executeUpdate(deleted.toString());
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
        nextId = firstNew + inserts;
        return perTick;
    }

    private int randomId(int below) {
        return protectedBelow + random.nextInt(below - protectedBelow);
    }

    /** Changes committed so far (a statement's rows, as asked: an update of a row deleted meanwhile still counts). */
    long changes() {
        return committed.get();
    }

    /** Changes committed per second over the load's life so far (or until it was stopped). */
    double achievedPerSecond() {
        long end = stopNanos != 0 ? stopNanos : System.nanoTime();
        return committed.get() * 1e9 / (end - startNanos);
    }

    long failedTransactions() {
        return failedTransactions.get();
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
