package io.tapflow.udf;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.graalvm.polyglot.Context;

/**
 * Stops guest calls that run longer than their time limit. One daemon thread per JVM checks every guarded call a
 * few times per limit; a call only writes a volatile deadline before and after it runs, so guarding costs next to
 * nothing per row.
 */
final class CallWatchdog {
    private static final CallWatchdog INSTANCE = new CallWatchdog();
    private static final long TICK_MS = 5;
    private final CopyOnWriteArrayList<Guard> guards = new CopyOnWriteArrayList<>();

    private CallWatchdog() {
        Thread thread = new Thread(this::watch, "tapflow-udf-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    static Guard guard(Context context, Duration limit) {
        Guard guard = new Guard(context, limit.toNanos());
        INSTANCE.guards.add(guard);
        return guard;
    }

    private void watch() {
        while (true) {
            long now = System.nanoTime();
            for (Guard g : guards) {
                long deadline = g.deadline;
                if (deadline != 0 && now - deadline > 0) {
                    g.stop(deadline);
                }
            }
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The time limit of one context's calls. */
    static final class Guard implements AutoCloseable {
        private final Context context;
        private final long limitNanos;
        private volatile long deadline;
        private volatile boolean timedOut;

        private Guard(Context context, long limitNanos) {
            this.context = context;
            this.limitNanos = limitNanos;
        }

        void enter() {
            enter(limitNanos);
        }

        /** Guards a call with another limit than the per-row one (compiling code). */
        void enter(long nanos) {
            timedOut = false;
            deadline = System.nanoTime() + nanos;
        }

        void exit() {
            deadline = 0;
        }

        boolean timedOut() {
            return timedOut;
        }

        private void stop(long observedDeadline) {
            if (deadline != observedDeadline) {
                return; // that call ended meanwhile
            }
            timedOut = true;
            deadline = 0;
            try {
                // Non-destructive: the context stays usable for the next row.
                context.interrupt(Duration.ofSeconds(10));
            } catch (TimeoutException e) {
                context.close(true);
            } catch (IllegalStateException e) {
                // Already closed: nothing left to stop.
            }
        }

        @Override
        public void close() {
            INSTANCE.guards.remove(this);
        }
    }
}
