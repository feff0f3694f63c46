package io.tapflow.cli.shell;

import io.tapflow.cli.FlinkOptions;
import io.tapflow.cli.catalog.Catalog;
import io.tapflow.cli.catalog.SavedPipelines;
import io.tapflow.cli.catalog.SavepointHistory;
import io.tapflow.dsl.ConnectorTypes;
import io.tapflow.udf.script.PipelineScripts;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;

/**
 * Tab completion at the {@code tap>} prompt: commands, then datasource, table and job names where they fit, and the
 * steps of a {@code Flow} after a dot in a Python line.
 */
final class ShellCompleter implements Completer {
    private final ShellCommands commands;

    ShellCompleter(ShellCommands commands) {
        this.commands = commands;
    }

    /**
     * Words are what lies between blanks, as typed: no quoting or escaping, which would take Python's quotes and
     * backslashes for the shell's, and hold back Enter on a line with an apostrophe in a string.
     */
    static DefaultParser parser() {
        DefaultParser parser = new DefaultParser();
        parser.setQuoteChars(new char[0]);
        parser.setEscapeChars(new char[0]);
        return parser;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words().subList(0, line.wordIndex());
        String word = line.word().substring(0, line.wordCursor());
        if (isAfterDotInPython(words, word, line.line().substring(0, line.cursor()))) {
            // The whole word is replaced: the text before the last dot stays as typed, the menu shows the step names.
            String head = word.substring(0, word.lastIndexOf('.') + 1);
            FlowMethods.NAMES.forEach(m -> candidates.add(new Candidate(head + m + "(", m, null, null, null, null, false)));
            return;
        }
        for (String name : candidatesAfter(words)) {
            candidates.add(new Candidate(name));
        }
    }

    /** A dot typed in a Python line (not a shell command, e.g. 'use my.db'), outside a string literal. */
    private static boolean isAfterDotInPython(List<String> words, String word, String typed) {
        String first = words.isEmpty() ? word : words.get(0);
        return word.contains(".") && !ShellCommands.NAMES.contains(first) && !inString(typed);
    }

    private static boolean inString(String typed) {
        char open = 0;
        for (char c : typed.toCharArray()) {
            if (open == 0 && (c == '\'' || c == '"')) {
                open = c;
            } else if (c == open) {
                open = 0;
            }
        }
        return open != 0;
    }

    private List<String> candidatesAfter(List<String> words) {
        if (words.isEmpty()) {
            return ShellCommands.NAMES;
        }
        String verb = words.get(0);
        if (words.size() == 1) {
            return switch (verb) {
                case "show" -> concat(List.of("dbs", "tables", "jobs"), quietly(ShellCompleter::showableNames));
                case "use" -> quietly(() -> new ArrayList<>(Catalog.open().all().keySet()));
                case "validate" -> concat(List.of("datasource"), quietly(() -> new ArrayList<>(Catalog.open().all().keySet())));
                case "desc", "peek", "count" -> quietly(commands::tables);
                case "monitor", "logs", "stop", "delete", "start" -> List.of("job");
                case "status", "stats" -> concat(List.of("job"), quietly(ShellCompleter::jobNames));
                case "verify", "explain" -> quietly(ShellCompleter::showableNames);
                case "help", "h" -> concat(ShellCommands.NAMES, List.copyOf(ConnectorTypes.names()));
                default -> List.of();
            };
        }
        // 'start job' starts a saved pipeline; the other job commands act on the cluster's jobs.
        if (words.size() == 2 && words.get(1).equals("job")) {
            return quietly(verb.equals("start") ? SavedPipelines::names : ShellCompleter::jobNames);
        }
        if (words.size() == 2 && words.get(0).equals("validate") && words.get(1).equals("datasource")) {
            return quietly(() -> new ArrayList<>(Catalog.open().all().keySet()));
        }
        return List.of();
    }

    /** Loaded at the first Tab after a dot: the DSL's classes start GraalVM, which a shell need not wait for at start. */
    private static final class FlowMethods {
        static final List<String> NAMES = PipelineScripts.flowMethods();
    }

    /** What {@code show <job>} prints: pipelines saved in a shell and those started from this TAPFLOW_HOME. */
    private static List<String> showableNames() {
        return concat(SavedPipelines.names(), SavepointHistory.startedNames()).stream().distinct().sorted().toList();
    }

    private static List<String> jobNames() {
        return new FlinkOptions().client().jobs().stream().map(j -> j.path("name").asText()).distinct().toList();
    }

    /** Completion must never fail at the prompt: no datasource in use or no cluster simply means nothing to offer. */
    private static List<String> quietly(Supplier<List<String>> names) {
        try {
            return names.get();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
