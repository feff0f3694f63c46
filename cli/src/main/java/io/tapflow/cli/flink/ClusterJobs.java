package io.tapflow.cli.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds a job on a cluster by pipeline name (the Flink job name) or job id. A pipeline stopped and started again has
 * several jobs of the same name: the one not yet finished wins, else the most recently started.
 */
public final class ClusterJobs {
    private static final Set<String> ENDED = Set.of("FINISHED", "CANCELED", "FAILED");

    private ClusterJobs() {}

    public static JsonNode find(FlinkRestClient flink, String nameOrId) {
        List<JsonNode> jobs = flink.jobs();
        return jobs.stream()
                .filter(j -> nameOrId.equals(j.path("name").asText()) || nameOrId.equals(j.path("jid").asText()))
                .max(Comparator.comparing((JsonNode j) -> !isEnded(j)).thenComparingLong(j -> j.path("start-time").asLong()))
                .orElseThrow(() -> new NoSuchJobException(nameOrId, flink.url(),
                        jobs.stream().map(j -> j.path("name").asText()).toList()));
    }

    /** The job of this pipeline that is not yet finished, if there is one. */
    public static Optional<JsonNode> active(FlinkRestClient flink, String name) {
        return flink.jobs().stream().filter(j -> name.equals(j.path("name").asText()) && !isEnded(j)).findFirst();
    }

    /**
     * Waits until the job reached a final state (Flink cancels asynchronously: a job stays CANCELLING while its tasks
     * stop); returns the state it was last seen in.
     */
    public static String awaitEnded(FlinkRestClient flink, String jobId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String state = flink.job(jobId).path("state").asText();
        while (!isEnded(state) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            state = flink.job(jobId).path("state").asText();
        }
        return state;
    }

    public static boolean isEnded(JsonNode job) {
        return isEnded(job.path("state").asText());
    }

    public static boolean isEnded(String state) {
        return ENDED.contains(state);
    }
}
