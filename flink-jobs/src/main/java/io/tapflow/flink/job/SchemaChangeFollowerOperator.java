package io.tapflow.flink.job;

import io.tapflow.flink.event.ChangeEvent;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;

/**
 * Runs the {@link SchemaChangeFollower} and calls it every {@link #INTERVAL_MS} ms without a change to process, so that
 * PostgreSQL's catalog is polled when no change flows (by the subtask reading the change stream; the others' calls do
 * nothing). The call is a processing-time timer of the task, so it runs in the task's thread, between changes and
 * checkpoints, never beside them; it is cancelled when the operator finishes or closes (a stop with a savepoint
 * included), so nothing of it outlives the task.
 */
final class SchemaChangeFollowerOperator extends ProcessOperator<ChangeEvent, ChangeEvent> {
    private static final long serialVersionUID = 1L;
    static final long INTERVAL_MS = 2_000;

    private final SchemaChangeFollower follower;
    private transient TimestampedCollector<ChangeEvent> tickOutput;
    private transient ScheduledFuture<?> next;
    private transient boolean stopped;

    SchemaChangeFollowerOperator(SchemaChangeFollower follower) {
        super(follower);
        this.follower = follower;
    }

    @Override
    public void open() throws Exception {
        super.open();
        tickOutput = new TimestampedCollector<>(output);
        schedule();
    }

    private void schedule() {
        if (!stopped) {
            next = getProcessingTimeService().registerTimer(getProcessingTimeService().getCurrentProcessingTime() + INTERVAL_MS,
                    time -> {
                        follower.tick(tickOutput);
                        schedule();
                    });
        }
    }

    @Override
    public void finish() throws Exception {
        cancelTicks();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        cancelTicks();
        super.close();
    }

    private void cancelTicks() {
        stopped = true;
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }
}
