package io.tapflow.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tapflow.cli.flink.JobSnapshot;
import io.tapflow.dsl.TapflowException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How jobs are shown: human-readable durations, sizes and times, and the --json form of the listings. */
final class JobFormat {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private JobFormat() {}

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TapflowException("cannot write JSON output: " + e.getOriginalMessage(), e);
        }
    }

    static String duration(long millis) {
        Duration d = Duration.ofMillis(Math.max(0, millis));
        if (d.toHours() > 0) {
            return d.toHours() + "h" + String.format("%02dm", d.toMinutesPart());
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + "m" + String.format("%02ds", d.toSecondsPart());
        }
        return d.toSeconds() + "s";
    }

    static String time(long epochMillis) {
        return epochMillis <= 0 ? "-" : TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        return String.format("%.1f MiB", bytes / (1024.0 * 1024));
    }

    /** "snapshot 30000 of ~100000 rows (30%), 3/10 splits" while it runs; "snapshot done: 100000 rows" after. */
    static String snapshot(JobSnapshot.SnapshotProgress p) {
        if (p.done()) {
            return "snapshot done: " + p.rowsDone() + " rows";
        }
        String splits = p.splitsDone() + "/" + p.splits() + " splits";
        if (p.rowsEstimated() <= 0) {
            return "snapshot " + p.rowsDone() + " rows so far, " + splits;
        }
        // The estimate comes from table statistics and can be low: never claim 100% before the last split is done.
        long percent = Math.min(99, p.rowsDone() * 100 / p.rowsEstimated());
        return "snapshot " + p.rowsDone() + " of ~" + p.rowsEstimated() + " rows (" + percent + "%), " + splits;
    }

    static String lag(Long millis) {
        return millis == null ? "-" : millis + " ms";
    }

    static String checkpoint(JobSnapshot s) {
        JobSnapshot.LastCheckpoint c = s.lastCheckpoint();
        if (c == null) {
            return "none yet";
        }
        return "#" + c.id() + " " + duration(s.takenAtMillis() - c.completedAtMillis()) + " ago, " + bytes(c.sizeBytes())
                + ", took " + c.durationMs() + " ms";
    }
}
