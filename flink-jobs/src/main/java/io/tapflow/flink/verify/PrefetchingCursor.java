package io.tapflow.flink.verify;

import io.tapflow.dsl.TapflowException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Reads a cursor on a thread of its own, a few batches ahead, so that the source and the target of a comparison are
 * read at the same time (as a raw parallel read would) while the merge compares. The thread also turns each row into
 * what the merge needs ({@code prepare}: its key, or the rows the pipeline's steps make of it), so that per-row work
 * runs beside the merge rather than in it. Memory stays bounded: at most {@value #BATCHES_AHEAD} batches of
 * {@value #BATCH} items wait.
 *
 * @param <T> what each row becomes
 */
final class PrefetchingCursor<T> implements AutoCloseable {
    private static final int BATCH = 1_000;
    private static final int BATCHES_AHEAD = 4;
    /** Marks the end of the rows in the queue. */
    private final List<T> end = new ArrayList<>(0);

    private final RowCursor delegate;
    private final Function<Map<String, Object>, List<T>> prepare;
    private final BlockingQueue<List<T>> batches = new ArrayBlockingQueue<>(BATCHES_AHEAD);
    private final Thread reader;
    private volatile boolean closed;
    private volatile RuntimeException failure;
    private List<T> current = List.of();
    private int position;
    private boolean ended;

    /**
     * @param prepare what a row becomes, on the reading thread: none, one or several items; it must not touch state the
     *                merging thread uses while the cursor is open
     */
    PrefetchingCursor(RowCursor delegate, Function<Map<String, Object>, List<T>> prepare, String name) {
        this.delegate = delegate;
        this.prepare = prepare;
        this.reader = new Thread(this::readAhead, "tapflow-verify-read " + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void readAhead() {
        try {
            List<T> batch = new ArrayList<>(BATCH);
            for (Map<String, Object> row = delegate.next(); row != null && !closed; row = delegate.next()) {
                batch.addAll(prepare.apply(row));
                if (batch.size() >= BATCH) {
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
                put(end);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void put(List<T> batch) throws InterruptedException {
        while (!closed && !batches.offer(batch, 100, TimeUnit.MILLISECONDS)) {
            // The consumer is behind: wait, unless the cursor was closed meanwhile.
        }
    }

    /** The next item, or null after the last; a failure of the reading thread is thrown here. */
    T next() {
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
            if (current == end) {
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
