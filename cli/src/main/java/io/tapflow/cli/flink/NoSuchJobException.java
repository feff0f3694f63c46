package io.tapflow.cli.flink;

import io.tapflow.dsl.TapflowException;
import java.util.Collection;
import java.util.TreeSet;

/** A job name (or id) that the Flink cluster does not know. */
public final class NoSuchJobException extends TapflowException {
    private static final long serialVersionUID = 1L;

    public NoSuchJobException(String name, String url, Collection<String> known) {
        super("no job '" + name + "' on the Flink cluster at " + url + "; known jobs: "
                + (known.isEmpty() ? "(none; start one with 'tapflow start <pipeline.json>')" : String.join(", ", new TreeSet<>(known))));
    }
}
