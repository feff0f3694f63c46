package io.tapflow.cli.shell;

import io.tapflow.dsl.ClosestName;
import io.tapflow.dsl.TapflowException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The {@code tapflow} commands the shell does not take, and what to type instead: a user who knows {@code tapflow run}
 * types {@code run} at the prompt, and "unknown command" alone would not tell them where it went.
 */
final class CliOnlyCommands {
    private static final Map<String, String> INSTEAD = instead();

    private CliOnlyCommands() {}

    /**
     * The error for a first word that is no shell command: where it is a {@code tapflow} command (or the likely meant
     * one), what to type instead; else the closest shell command and the list of them.
     */
    static TapflowException unknown(String word, List<String> shellCommands) {
        if (INSTEAD.containsKey(word)) {
            return new TapflowException(pointer(word));
        }
        Optional<String> meant = ClosestName.of(word, Stream.concat(shellCommands.stream(), INSTEAD.keySet().stream()).toList());
        if (meant.isPresent() && INSTEAD.containsKey(meant.get())) {
            return new TapflowException("unknown command '" + word + "'; did you mean '" + meant.get() + "'? " + pointer(meant.get()));
        }
        return new TapflowException("unknown command '" + word + "'" + meant.map(m -> "; did you mean '" + m + "'?").orElse("")
                + "; commands: " + String.join(", ", shellCommands) + ", or a Python DSL statement; 'help' explains them");
    }

    /** What {@code help <word>} says for a {@code tapflow} command the shell does not take, if it is one. */
    static Optional<String> help(String word) {
        return INSTEAD.containsKey(word) ? Optional.of(pointer(word)) : Optional.empty();
    }

    private static String pointer(String word) {
        return "'" + word + "' is a tapflow command, not a shell command: " + INSTEAD.get(word);
    }

    private static Map<String, String> instead() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("run", "run 'tapflow run <file>' outside the shell (it runs in the foreground until Ctrl-C); here, "
                + "Flow(...).start() or 'start job <name>' submits a pipeline to the Flink cluster");
        m.put("datasource", "here 'show dbs' lists the datasources, 'validate <name>' tests one, DataSource(...).save() adds "
                + "one; 'tapflow datasource show|remove <name>' outside the shell");
        m.put("ds", m.get("datasource"));
        m.put("jobs", "type 'show jobs'");
        m.put("cluster", "run 'tapflow cluster start|stop|status' outside the shell");
        m.put("quickstart", "run 'tapflow quickstart' outside the shell");
        m.put("shell", "this is the shell already ('exit' leaves it)");
        return m;
    }
}
