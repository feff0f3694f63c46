package io.tapflow.dsl;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a pipeline does after a failure that may heal (a lost connection, a server restarting; failures that cannot
 * heal stop the job at once, see the README's Guarantees): restart from its last checkpoint after a delay.
 *
 * <ul>
 *   <li>{@code exponential} (the default): the first restart after {@code initialDelayMs}, each next one twice as late
 *       up to {@code maxDelayMs}, without a limit on attempts, so a pipeline rides out an outage of minutes or hours;
 *       after {@code resetAfterMs} without a failure the delay starts again from the initial one.</li>
 *   <li>{@code fixed}: at most {@code attempts} restarts, {@code initialDelayMs} apart, then the job fails.</li>
 *   <li>{@code none}: the first failure fails the job.</li>
 * </ul>
 */
public record RestartPolicy(String mode, long initialDelayMs, long maxDelayMs, int attempts, long resetAfterMs)
        implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public static final List<String> MODES = List.of("exponential", "fixed", "none");
    private static final long RESET_AFTER_MS = Duration.ofMinutes(10).toMillis();
    public static final RestartPolicy DEFAULT = exponential(Duration.ofSeconds(1), Duration.ofMinutes(1));
    public static final RestartPolicy NONE = new RestartPolicy("none", 0, 0, 0, 0);

    /** The JSON form: fields left out take the defaults of the mode (fixed: 3 attempts; delays as the default's). */
    @JsonCreator
    static RestartPolicy fromJson(@JsonProperty("mode") String mode, @JsonProperty("initialDelayMs") Long initialDelayMs,
                                  @JsonProperty("maxDelayMs") Long maxDelayMs, @JsonProperty("attempts") Integer attempts,
                                  @JsonProperty("resetAfterMs") Long resetAfterMs) {
        String m = mode == null ? "exponential" : mode;
        long initial = initialDelayMs == null ? DEFAULT.initialDelayMs : initialDelayMs;
        boolean exponential = m.equals("exponential");
        return new RestartPolicy(m, initial, maxDelayMs != null ? maxDelayMs : exponential ? DEFAULT.maxDelayMs : initial,
                attempts != null ? attempts : m.equals("fixed") ? 3 : 0,
                resetAfterMs != null ? resetAfterMs : exponential ? RESET_AFTER_MS : 0);
    }

    public static RestartPolicy exponential(Duration initialDelay, Duration maxDelay) {
        return new RestartPolicy("exponential", initialDelay.toMillis(), maxDelay.toMillis(), 0, RESET_AFTER_MS);
    }

    public static RestartPolicy fixed(int attempts, Duration delay) {
        return new RestartPolicy("fixed", delay.toMillis(), delay.toMillis(), attempts, 0);
    }

    /** What is wrong with this policy, if anything, for the validator. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!MODES.contains(mode)) {
            problems.add("restart mode '" + mode + "' is not one of " + MODES);
        } else if (!mode.equals("none")) {
            if (initialDelayMs < 100) {
                problems.add("restart delay must be at least 100 ms, got " + initialDelayMs + " ms");
            }
            if (mode.equals("exponential") && maxDelayMs < initialDelayMs) {
                problems.add("restart maximum delay (" + maxDelayMs + " ms) is below the initial delay (" + initialDelayMs + " ms)");
            }
            if (mode.equals("exponential") && resetAfterMs < maxDelayMs) {
                problems.add("restart reset period (" + resetAfterMs + " ms) must be at least the maximum delay (" + maxDelayMs + " ms)");
            }
            if (mode.equals("fixed") && attempts < 1) {
                problems.add("fixed restarts need at least 1 attempt, got " + attempts);
            }
        }
        return problems;
    }

    /** How the user reads it, e.g. {@code exponential 1 s → 60 s}. */
    public String describe() {
        return switch (mode) {
            case "exponential" -> "exponential " + seconds(initialDelayMs) + " → " + seconds(maxDelayMs);
            case "fixed" -> "fixed, " + attempts + " attempts " + seconds(initialDelayMs) + " apart";
            default -> "none";
        };
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
