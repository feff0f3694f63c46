package io.tapflow.flink.job;

import java.nio.file.Path;
import org.apache.flink.core.execution.SavepointFormatType;

import io.tapflow.dsl.TapflowException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;

/** A pipeline running on Flink: its status, and the ways to wait for or stop it. */
public final class RunningPipeline implements AutoCloseable {
    private final String name;
    private final JobClient client;
    private volatile boolean cancelled;
    /** Set before this side cancels the job: its ending then is a stop, not a failure. */
    private volatile boolean stopRequested;

    RunningPipeline(String name, JobClient client) {
        this.name = name;
        this.client = client;
    }

    public String name() {
        return name;
    }

    public JobID jobId() {
        return client.getJobID();
    }

    public JobStatus status() {
        if (cancelled) {
            return JobStatus.CANCELED;
        }
        try {
            return client.getJobStatus().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TapflowException("interrupted while asking for the status of pipeline '" + name + "'", e);
        } catch (ExecutionException | TimeoutException | IllegalStateException e) {
            // The embedded cluster shuts down with its job: no answer means the job has ended.
            return JobStatus.FAILED;
        }
    }

    /**
     * Waits until the job ends; throws with the job's failure cause if it failed. A job stopped by {@link #cancel} ends
     * without an error.
     */
    public void awaitTermination() {
        try {
            client.getJobExecutionResult().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            if (!stopRequested) {
                throw new TapflowException("pipeline '" + name + "' failed: " + JobFailures.rootMessage(e), e);
            }
        }
    }

    /** Whether {@link #cancel} stopped the job (rather than the job ending by itself). */
    public boolean stopRequested() {
        return stopRequested;
    }

    /**
     * Cancels the job (a hard stop: the last completed checkpoint is kept) and waits for it to end.
     *
     * @return true when this call stopped a job that was running
     */
    public synchronized boolean cancel(Duration timeout) {
        if (cancelled) {
            return false;
        }
        try {
            boolean running = !status().isGloballyTerminalState();
            if (running) {
                stopRequested = true;
                client.cancel().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            client.getJobExecutionResult().handle((r, t) -> null).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            cancelled = true;
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            throw new TapflowException("pipeline '" + name + "' did not stop within " + timeout.toSeconds() + " s", e);
        }
    }

    /**
     * Stops the job with a savepoint (canonical format) in {@code directory} and waits for it to end.
     *
     * @return the savepoint's path, to restore from
     */
    public synchronized Path stopWithSavepoint(Path directory, Duration timeout) {
        try {
            stopRequested = true;
            String location = client.stopWithSavepoint(false, directory.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            client.getJobExecutionResult().handle((r, t) -> null).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            cancelled = true;
            return pathOf(location);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TapflowException("interrupted while stopping pipeline '" + name + "' with a savepoint", e);
        } catch (ExecutionException | TimeoutException e) {
            java.util.Optional<String> written = SavepointThenFailure.savepointOf(e);
            if (written.isPresent()) {
                cancelled = true;
                return pathOf(written.get());
            }
            throw new TapflowException("pipeline '" + name + "' could not stop with a savepoint within " + timeout.toSeconds()
                    + " s: " + JobFailures.rootMessage(e), e);
        }
    }

    /**
     * Takes a savepoint (canonical format) in {@code directory} and leaves the job running. Flink tells no operator that
     * such a savepoint completed (only checkpoints and stop-with-savepoint do), so nothing waiting for a checkpoint moves.
     *
     * @return the savepoint's path, to restore from
     */
    public synchronized Path savepoint(Path directory, Duration timeout) {
        try {
            String location = client.triggerSavepoint(directory.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return pathOf(location);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TapflowException("interrupted while taking a savepoint of pipeline '" + name + "'", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new TapflowException("pipeline '" + name + "' could not take a savepoint within " + timeout.toSeconds()
                    + " s: " + JobFailures.rootMessage(e), e);
        }
    }

    private static Path pathOf(String location) {
        return location.startsWith("file:") ? Path.of(java.net.URI.create(location)) : Path.of(location);
    }

    @Override
    public void close() {
        cancel(Duration.ofSeconds(30));
    }
}
