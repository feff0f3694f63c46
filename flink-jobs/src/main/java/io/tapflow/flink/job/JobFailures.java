package io.tapflow.flink.job;

import io.tapflow.dsl.TapflowException;
import org.apache.flink.util.ExceptionUtils;

/** Finds the message worth showing in a Flink job failure: tapflow's own error if there is one, else the root cause. */
public final class JobFailures {
    private JobFailures() {}

    public static String rootMessage(Throwable failure) {
        var own = ExceptionUtils.findThrowable(failure, TapflowException.class);
        if (own.isPresent()) {
            return own.get().getMessage();
        }
        Throwable root = ExceptionUtils.stripExecutionException(failure);
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
