package io.tapflow.cli.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A job's own log, built from what Flink's REST API offers about it (so it works the same on local and remote
 * clusters): state changes, checkpoints and savepoints, failures and restarts, and the progress lines tapflow's source
 * operator writes to the TaskManager logs (snapshot of a table began, first live change) and the snapshot enumerator to
 * the JobManager log (each table's snapshot finished with its row count, the binlog position streaming starts at), in
 * time order. A killed
 * TaskManager's lines are gone with it.
 */
public final class JobEvents {
    /** The start of a line in Flink's log format, e.g. {@code 2026-11-24 03:20:45,123}. */
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
    /** SourceProgress.MARKER in flink-jobs; the CLI does not load job classes. */
    private static final String PROGRESS_MARKER = "tapflow[";

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
        Map<Long, Long> restartDelays = RestartOutlook.delaysByFailure(flink.jobConfig(jobId), flink.exceptions(jobId));
        for (JsonNode x : flink.exceptions(jobId).path("exceptionHistory").path("entries")) {
            Long delay = restartDelays.get(x.path("timestamp").asLong());
            events.add(new Event(x.path("timestamp").asLong(), "failure in " + x.path("taskName").asText("the job") + " on "
                    + x.path("endpoint").asText(x.path("location").asText("?")) + ": "
                    + JobSnapshots.rootCause(x.path("stacktrace").asText(x.path("exceptionName").asText()))
                    + (delay == null ? " (the job restarts)" : " (the job restarts in " + (delay + 999) / 1000 + " s)")));
        }
        String marker = PROGRESS_MARKER + jobId + "] ";
        addProgressLines(flink.jobManagerLog(), marker, events);
        for (String taskManager : flink.taskManagerIds()) {
            addProgressLines(flink.taskManagerLog(taskManager), marker, events);
        }
        events.sort(Comparator.comparingLong(Event::timestamp));
        return events;
    }

    /** tapflow's progress lines of the job in one process's log: the snapshot readers and the source enumerator. */
    private static void addProgressLines(String log, String marker, List<Event> events) {
        log.lines().filter(l -> l.contains(marker)).forEach(line -> {
            try {
                long at = LocalDateTime.parse(line.substring(0, 23), LOG_TIME).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
                events.add(new Event(at, line.substring(line.indexOf(marker) + marker.length())));
            } catch (DateTimeParseException | StringIndexOutOfBoundsException notFlinksLogFormat) {
                // A log layout without a leading time stamp: the line cannot be placed in time, so it is left out.
            }
        });
    }
}
