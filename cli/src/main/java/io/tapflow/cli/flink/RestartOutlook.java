package io.tapflow.cli.flink;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.dsl.RestartPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When a job that waits to restart tries next. Flink's REST API shows neither the delay nor the next attempt, so
 * this replays the restart policy (the {@code tapflow.restart} job parameter tapflow sets, with no jitter) over the
 * times of the job's failures: exponential delays double from failure to failure up to the maximum, a failure while
 * a restart is pending joins it, and a quiet period resets the delay.
 */
public final class RestartOutlook {
    /** FlinkJobConfig.RESTART_PARAMETER in flink-jobs; the CLI does not load job classes. */
    static final String PARAMETER = "tapflow.restart";

    private RestartOutlook() {}

    /** The policy as FlinkJobConfig writes it ({@code mode/initial/max/attempts/resetAfter}, times in ms), or null. */
    static RestartPolicy parse(String parameter) {
        String[] p = parameter == null ? new String[0] : parameter.split("/");
        if (p.length != 5) {
            return null;
        }
        try {
            return new RestartPolicy(p[0], Long.parseLong(p[1]), Long.parseLong(p[2]), Integer.parseInt(p[3]), Long.parseLong(p[4]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * For a RESTARTING job, e.g. {@code waiting to restart (restart 3, exponential 1 s → 60 s): next attempt in about
     * 4 s, after: <cause>}; null for a job in any other state or without tapflow's parameter.
     */
    static String of(JsonNode job, JsonNode config, JsonNode exceptions, long nowMs) {
        if (!"RESTARTING".equals(job.path("state").asText())) {
            return null;
        }
        RestartPolicy policy = policy(config);
        Map<Long, Long> delays = delaysByFailure(config, exceptions);
        if (policy == null || delays.isEmpty()) {
            return null;
        }
        long lastRestart = delays.keySet().stream().mapToLong(Long::longValue).max().getAsLong();
        long next = lastRestart + delays.get(lastRestart);
        JsonNode newest = exceptions.path("exceptionHistory").path("entries").get(0);
        return "waiting to restart (restart " + delays.size() + ", " + policy.describe() + "): next attempt in about "
                + Math.max(0, (next - nowMs + 999) / 1000) + " s, after: "
                + JobSnapshots.rootCause(newest.path("stacktrace").asText(newest.path("exceptionName").asText()));
    }

    /** Failure time → the delay of the restart it started, for the failures of the job's exception history. */
    static Map<Long, Long> delaysByFailure(JsonNode config, JsonNode exceptions) {
        RestartPolicy policy = policy(config);
        Map<Long, Long> byFailure = new HashMap<>();
        if (policy != null && !policy.mode().equals("none")) {
            List<Long> failures = failureTimes(exceptions);
            List<Long> starting = new ArrayList<>();
            List<Long> delays = delays(policy, failures, starting);
            for (int i = 0; i < delays.size(); i++) {
                byFailure.put(starting.get(i), delays.get(i));
            }
        }
        return byFailure;
    }

    private static RestartPolicy policy(JsonNode jobConfig) {
        return parse(jobConfig.path("execution-config").path("user-config").path(PARAMETER).asText(null));
    }

    /** The failures of the exception history, oldest first (the API lists the newest first). */
    private static List<Long> failureTimes(JsonNode exceptions) {
        List<Long> failures = new ArrayList<>();
        exceptions.path("exceptionHistory").path("entries").forEach(e -> failures.add(0, e.path("timestamp").asLong()));
        return failures;
    }

    /** The delay before the restart that followed each failure (oldest first) that started one. */
    static List<Long> delays(RestartPolicy policy, List<Long> failureTimes, List<Long> startingFailures) {
        List<Long> delays = new ArrayList<>();
        long backoff = 0;
        long pendingUntil = Long.MIN_VALUE;
        long last = Long.MIN_VALUE;
        for (long t : failureTimes) {
            if (t < pendingUntil) {
                continue; // joins the restart that is already pending
            }
            if (!policy.mode().equals("exponential")) {
                backoff = policy.initialDelayMs();
            } else {
                backoff = backoff == 0 || t - last >= policy.resetAfterMs() ? policy.initialDelayMs()
                        : Math.min(backoff * 2, policy.maxDelayMs());
            }
            delays.add(backoff);
            startingFailures.add(t);
            pendingUntil = t + backoff;
            last = t;
        }
        return delays;
    }
}
