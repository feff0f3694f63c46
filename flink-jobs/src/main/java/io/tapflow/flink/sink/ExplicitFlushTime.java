package io.tapflow.flink.sink;

import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.operators.ProcessingTimeService;

/**
 * Processing time for a sink writer used outside a Flink job ({@code tapflow verify --repair}): timers never fire,
 * the caller flushes the writer itself when it has written everything.
 */
public final class ExplicitFlushTime implements ProcessingTimeService {
    private static final ScheduledFuture<Object> NEVER = new ScheduledFuture<>() {
        @Override
        public long getDelay(TimeUnit unit) {
            return Long.MAX_VALUE;
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return false;
        }

        @Override
        public Object get() {
            throw new CancellationException("timers of an explicitly flushed writer never fire");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return get();
        }
    };

    @Override
    public long getCurrentProcessingTime() {
        return System.currentTimeMillis();
    }

    @Override
    public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback target) {
        return NEVER;
    }
}
