package io.tapflow.flink.job;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises Flink's "a savepoint has been created at X, but the job failed during stopping": the savepoint is complete
 * and consistent and the job is over, so a stop with a savepoint succeeded (starting from the savepoint commits what
 * the shut-down left open). Flink reports it when an operator fails while closing after the savepoint; a stop of a
 * parallel MySQL source during its snapshot-to-binlog hand-over once did. Read from the text because the exception
 * crosses RPC and REST as text or as a serialized copy, not as its own class.
 */
public final class SavepointThenFailure {
    private static final Pattern CREATED_AT = Pattern.compile("A savepoint has been created at: (\\S+), but the corresponding job");

    private SavepointThenFailure() {}

    /** The savepoint's location if {@code failure} (or a cause) is that case. */
    public static Optional<String> savepointOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Optional<String> found = savepointIn(String.valueOf(t.getMessage()));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** The savepoint's location if {@code text} (a message or a stack trace from Flink's REST API) reports that case. */
    public static Optional<String> savepointIn(String text) {
        Matcher m = CREATED_AT.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
