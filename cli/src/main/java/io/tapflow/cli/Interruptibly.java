package io.tapflow.cli;

import io.tapflow.dsl.TapflowException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocking work that ignores thread interrupts (a JDBC query waiting on its socket, Python code) made to honour them,
 * so that Ctrl-C in the shell ends it: the work runs on a thread of its own while the caller waits, and when the
 * caller is interrupted the work is stopped its own way ({@code Statement.cancel()}, a context interrupt).
 */
public final class Interruptibly {
    /** How long a stopped piece of work may take to end before the caller goes on without it. */
    private static final long STOP_WAIT_SECONDS = 10;

    private Interruptibly() {}

    /** Blocking work that may throw a checked exception of its own. */
    public interface Work<T, E extends Exception> {
        public T call() throws E;
    }

    /**
     * Runs the work and returns its result, or throws what it threw. If the calling thread is interrupted meanwhile,
     * runs {@code stop} and throws a "cancelled" {@link TapflowException} caused by the interrupt.
     */
    public static <T, E extends Exception> T call(Work<T, E> work, Runnable stop) throws E {
        FutureTask<T> task = new FutureTask<>(work::call);
        Thread thread = new Thread(task, "tapflow-interruptible");
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get();
        } catch (InterruptedException e) {
            stop.run();
            awaitEnd(task); // the stopped work must not overlap with what the caller does next
            Thread.currentThread().interrupt();
            throw new TapflowException("cancelled", e);
        } catch (ExecutionException e) {
            throw Interruptibly.<E>rethrow(e.getCause());
        }
    }

    private static void awaitEnd(FutureTask<?> task) {
        try {
            task.get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            // Ending with an error is what stopped work does; the caller is told "cancelled" either way.
        }
    }

    /** The work's own exception as it threw it: unchecked ones as they are, a checked one as its E. */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> RuntimeException rethrow(Throwable t) throws E {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        throw (E) t;
    }
}
