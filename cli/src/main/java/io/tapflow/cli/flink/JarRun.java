package io.tapflow.cli.flink;

import java.util.List;

/** What to run from an uploaded jar: entry class, program arguments, and an optional savepoint to start from. */
public record JarRun(String entryClass, List<String> args, String savepointPath, boolean allowNonRestoredState) {
    public JarRun {
        args = List.copyOf(args);
    }
}
