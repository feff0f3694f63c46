package io.tapflow.cli.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A job's own log, built from what Flink's REST API keeps about it (so it works the same on local and remote
 * clusters, without access to TaskManager log files): state changes, checkpoints and savepoints, failures and
 * restarts, in time order.
 */
public final class JobEvents {
    private JobEvents() {}

    /** One line of the job's log. */
    public record Event(long timestamp, String message) {}

    public static List<Event> read(FlinkRestClient flink, String jobId) {
        List<Event> events = new ArrayList<>();
        JsonNode job = flink.job(jobId);
        for (Iterator<Map.Entry<String, JsonNode>> it = job.path("timestamps").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().asLong() > 0) {
                events.add(new Event(e.getValue().asLong(), "job " + e.getKey()));
            }
        }
        for (JsonNode c : flink.checkpoints(jobId).path("history")) {
            String kind = c.path("is_savepoint").asBoolean() ? "savepoint " : "checkpoint ";
            String status = c.path("status").asText();
            String detail = "COMPLETED".equals(status)
                    ? " completed in " + c.path("end_to_end_duration").asLong() + " ms, " + c.path("checkpointed_size").asLong() + " bytes"
                    + (c.path("is_savepoint").asBoolean() ? " at " + c.path("external_path").asText() : "")
                    : " " + status.toLowerCase();
            events.add(new Event(c.path("trigger_timestamp").asLong(), kind + "#" + c.path("id").asLong() + detail));
        }
        for (JsonNode x : flink.exceptions(jobId).path("exceptionHistory").path("entries")) {
            events.add(new Event(x.path("timestamp").asLong(), "failure in " + x.path("taskName").asText("the job") + " on "
                    + x.path("endpoint").asText(x.path("location").asText("?")) + ": "
                    + JobSnapshots.firstLine(x.path("stacktrace").asText(x.path("exceptionName").asText())) + " (the job restarts)"));
        }
        events.sort(Comparator.comparingLong(Event::timestamp));
        return events;
    }
}
