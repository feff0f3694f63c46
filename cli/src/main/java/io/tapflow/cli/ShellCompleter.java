package io.tapflow.cli;

import io.tapflow.dsl.ConnectorTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/** Tab completion at the {@code tap>} prompt: commands, then datasource, table and job names where they fit. */
final class ShellCompleter implements Completer {
    private final ShellCommands commands;

    ShellCompleter(ShellCommands commands) {
        this.commands = commands;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words().subList(0, line.wordIndex());
        for (String word : candidatesAfter(words)) {
            candidates.add(new Candidate(word));
        }
    }

    private List<String> candidatesAfter(List<String> words) {
        if (words.isEmpty()) {
            return ShellCommands.NAMES;
        }
        String verb = words.get(0);
        if (words.size() == 1) {
            return switch (verb) {
                case "show" -> concat(List.of("dbs", "tables", "jobs"), quietly(SavedPipelines::names));
                case "use", "validate" -> quietly(() -> new ArrayList<>(Catalog.open().all().keySet()));
                case "desc", "peek", "count" -> quietly(commands::tables);
                case "monitor", "logs", "stop", "delete", "start" -> List.of("job");
                case "status" -> quietly(ShellCompleter::jobNames);
                case "help" -> concat(ShellCommands.NAMES, List.copyOf(ConnectorTypes.names()));
                default -> List.of();
            };
        }
        // 'start job' starts a saved pipeline; the other job commands act on the cluster's jobs.
        if (words.size() == 2 && words.get(1).equals("job")) {
            return quietly(verb.equals("start") ? SavedPipelines::names : ShellCompleter::jobNames);
        }
        return List.of();
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
