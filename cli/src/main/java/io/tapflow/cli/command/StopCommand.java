package io.tapflow.cli.command;

import io.tapflow.cli.FlinkOptions;
import io.tapflow.cli.catalog.SavepointHistory;
import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.cli.flink.ClusterJobs;
import io.tapflow.cli.flink.FlinkRestClient;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.job.SavepointThenFailure;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tapflow stop <job> [--savepoint [dir]]}: stops a job. With a savepoint the job can be started again from it,
 * also after the pipeline was changed; without, it is cancelled and its last checkpoint is kept.
 */
@Command(name = "stop", description = "Stop a job, optionally taking a savepoint to start from later.")
public final class StopCommand implements Callable<Integer> {
    private static final Duration SAVEPOINT_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(60);

    @Spec CommandSpec spec;
    @Mixin FlinkOptions flink;
    @Parameters(index = "0", description = "Job: pipeline name or Flink job id.") String job;
    @Option(names = "--savepoint", arity = "0..1", fallbackValue = "", paramLabel = "dir",
            description = "Take a savepoint first, into dir (default: the cluster's execution.checkpointing.savepoint-dir).")
    String savepointDir;

    @Override
    public Integer call() throws InterruptedException {
        FlinkRestClient client = flink.client();
        JsonNode found = ClusterJobs.find(client, job);
        String name = found.path("name").asText();
        String jobId = found.path("jid").asText();
        if (ClusterJobs.isEnded(found)) {
            throw new TapflowException("job '" + name + "' (" + jobId + ") is not running: it is " + found.path("state").asText());
        }
        if (savepointDir == null) {
            client.cancel(jobId);
            // Wait, so that 'tapflow stop p && tapflow start p.json' does not find the job still running.
            String state = ClusterJobs.awaitEnded(client, jobId, CANCEL_TIMEOUT);
            spec.commandLine().getOut().println(ClusterJobs.isEnded(state)
                    ? "cancelled job '" + name + "' (" + jobId + "); its last checkpoint is kept"
                    : "asked job '" + name + "' (" + jobId + ") to cancel; after " + CANCEL_TIMEOUT.toSeconds()
                            + " s it is still " + state);
            return 0;
        }
        String location = stopWithSavepoint(client, jobId, name);
        SavepointHistory.of(name).recordSavepoint(location);
        spec.commandLine().getOut().println("stopped job '" + name + "' (" + jobId + ") with savepoint " + location
                + "; continue with 'tapflow start <pipeline.json> --from-savepoint latest'");
        return 0;
    }

    private String stopWithSavepoint(FlinkRestClient client, String jobId, String name) throws InterruptedException {
        String trigger = client.stopWithSavepoint(jobId, savepointDir.isEmpty() ? null : savepointDir);
        long deadline = System.nanoTime() + SAVEPOINT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = client.savepointStatus(jobId, trigger);
            if ("COMPLETED".equals(status.path("status").path("id").asText())) {
                JsonNode operation = status.path("operation");
                if (operation.has("failure-cause")) {
                    String trace = operation.path("failure-cause").path("stack-trace").asText("");
                    var written = SavepointThenFailure.savepointIn(trace);
                    if (written.isPresent()) {
                        spec.commandLine().getOut().println("job '" + name + "' failed while shutting down after its "
                                + "savepoint was written; the savepoint is complete and the job has ended");
                        return written.get();
                    }
                    throw new TapflowException("job '" + name + "' could not take its savepoint and keeps running: "
                            + operation.path("failure-cause").path("stack-trace").asText("").lines().findFirst().orElse("unknown reason"));
                }
                return operation.path("location").asText();
            }
            Thread.sleep(300);
        }
        throw new TapflowException("the savepoint of job '" + name + "' did not complete within " + SAVEPOINT_TIMEOUT.toMinutes()
                + " minutes; the job may still be stopping: check 'tapflow status " + name + "'");
    }
}
