package io.tapflow.cli.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.cli.flink.ClusterJobs;
import io.tapflow.cli.flink.FlinkRestClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;

/**
 * Waits out a running pipeline's lag before differences are checked again: until the job completes a checkpoint
 * triggered after the wait began. A completed checkpoint means the sink has flushed everything read before it, so a
 * difference still there afterwards is not a change in flight.
 */
final class CheckpointLagWait implements Runnable {
    private static final Duration POLL = Duration.ofMillis(500);
    private final FlinkRestClient flink;
    private final String jobId;
    private final Duration timeout;
    private final PrintWriter err;

    private CheckpointLagWait(FlinkRestClient flink, String jobId, Duration timeout, PrintWriter err) {
        this.flink = flink;
        this.jobId = jobId;
        this.timeout = timeout;
        this.err = err;
    }

    /** The wait for the pipeline's running job; empty when no cluster answers or the pipeline does not run there. */
    static Optional<CheckpointLagWait> forPipeline(FlinkRestClient flink, String pipeline, Duration timeout, PrintWriter err) {
        if (!flink.isReachable()) {
            return Optional.empty();
        }
        return ClusterJobs.active(flink, pipeline).map(job -> new CheckpointLagWait(flink, job.path("jid").asText(), timeout, err));
    }

    @Override
    public void run() {
        long since = System.currentTimeMillis();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode completed = flink.checkpoints(jobId).path("latest").path("completed");
            if (completed.path("trigger_timestamp").asLong(0) > since) {
                return;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        err.println("warning: job " + jobId + " completed no checkpoint within " + timeout.toSeconds()
                + " s; differences are checked again without waiting longer");
        err.flush();
    }
}
