package io.tapflow.flink.verify;

import io.tapflow.dsl.TapflowException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a cursor on a thread of its own, a few batches ahead, so that the source and the target of a comparison are
 * read at the same time (as a raw parallel read would) while the merge compares. Memory stays bounded: at most
 * {@value #BATCHES_AHEAD} batches of {@value #BATCH} rows wait.
 */
final class PrefetchingCursor implements RowCursor {
    private static final int BATCH = 1_000;
    private static final int BATCHES_AHEAD = 4;
    /** Marks the end of the rows in the queue. */
    private static final List<Map<String, Object>> END = List.of();

    private final RowCursor delegate;
    private final BlockingQueue<List<Map<String, Object>>> batches = new ArrayBlockingQueue<>(BATCHES_AHEAD);
    private final Thread reader;
    private volatile boolean closed;
    private volatile RuntimeException failure;
    private List<Map<String, Object>> current = List.of();
    private int position;
    private boolean ended;

    PrefetchingCursor(RowCursor delegate, String name) {
        this.delegate = delegate;
        this.reader = new Thread(this::readAhead, "tapflow-verify-read " + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void readAhead() {
        try {
            List<Map<String, Object>> batch = new ArrayList<>(BATCH);
            for (Map<String, Object> row = delegate.next(); row != null && !closed; row = delegate.next()) {
                batch.add(row);
                if (batch.size() == BATCH) {
                    put(batch);
                    batch = new ArrayList<>(BATCH);
                }
            }
            if (!batch.isEmpty()) {
                put(batch);
            }
        } catch (RuntimeException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void put(List<Map<String, Object>> batch) throws InterruptedException {
        while (!closed && !batches.offer(batch, 100, TimeUnit.MILLISECONDS)) {
            // The consumer is behind: wait, unless the cursor was closed meanwhile.
        }
    }

    @Override
    public Map<String, Object> next() {
        while (position == current.size()) {
            if (ended) {
                return null;
            }
            try {
                current = batches.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TapflowException("interrupted while reading rows to verify", e);
            }
            position = 0;
            if (current == END) {
                ended = true;
                if (failure != null) {
                    throw failure;
                }
            }
        }
        return current.get(position++);
    }

    @Override
    public void close() {
        closed = true;
        batches.clear();
        try {
            reader.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            delegate.close();
        }
    }
}
