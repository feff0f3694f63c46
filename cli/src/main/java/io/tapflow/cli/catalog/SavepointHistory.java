package io.tapflow.cli.catalog;

import io.tapflow.cli.OwnerOnlyFiles;
import io.tapflow.cli.TapflowHome;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.SourceSpec;
import io.tapflow.dsl.TapflowException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What tapflow remembers about a pipeline it submitted, under {@code $TAPFLOW_HOME/jobs/<pipeline>}: the spec last
 * started, and the savepoints taken when it was stopped, each with the identity of the source it read. A savepoint
 * holds CDC positions (binlog file and offset) that only mean something for that source and those tables.
 */
public final class SavepointHistory {
    private static final String STARTED_SPEC = "started-spec.json";
    private final Path dir;

    SavepointHistory(Path home, String pipeline) {
        this.dir = home.resolve("jobs").resolve(pipeline);
    }

    public static SavepointHistory of(String pipeline) {
        return new SavepointHistory(TapflowHome.path(), pipeline);
    }

    /** A savepoint location and the source identity of the job it was taken from ("" when unknown). */
    public record Entry(String location, String sourceIdentity) {}

    /**
     * The sources a savepoint's positions belong to: server, database and tables of each, never credentials. A union
     * lists its sources in the pipeline's order (the first owns the operator uid "source"), separated by "; ".
     */
    public static String sourceIdentity(JobSpec spec) {
        List<String> identities = new ArrayList<>();
        for (SourceSpec source : spec.pipeline().sources()) {
            DataSource s = spec.datasource(source.datasource());
            identities.add(s.type() + "://" + s.get("host") + ":" + s.get("port") + "/" + s.get("database")
                    + " tables=" + String.join(",", new TreeSet<>(source.tables()))
                    + (source.hasPatterns() ? " matching=" + String.join(",", source.include())
                    + (source.exclude().isEmpty() ? "" : " except=" + String.join(",", source.exclude())) : ""));
        }
        return String.join("; ", identities);
    }

    /** The pipelines started from this TAPFLOW_HOME, by name. */
    public static List<String> startedNames() {
        Path jobs = TapflowHome.path().resolve("jobs");
        if (!Files.isDirectory(jobs)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(jobs)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(STARTED_SPEC))).map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new TapflowException("cannot list " + jobs + ": " + e.getMessage(), e);
        }
    }

    public void recordStarted(JobSpec spec) {
        write(STARTED_SPEC, DefinitionJson.toJson(spec), false);
    }

    public Optional<JobSpec> lastStarted() {
        Path file = dir.resolve(STARTED_SPEC);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(DefinitionJson.jobSpec(Files.readString(file), file.toString()));
        } catch (IOException e) {
            throw new TapflowException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public void recordSavepoint(String location) {
        String identity = lastStarted().map(SavepointHistory::sourceIdentity).orElse("");
        write("savepoints.tsv", location + "\t" + identity + "\n", true);
    }

    public Optional<Entry> latest() {
        return entries().stream().reduce((a, b) -> b);
    }

    public Optional<Entry> find(String location) {
        return entries().stream().filter(e -> e.location().equals(location)).reduce((a, b) -> b);
    }

    public void delete() {
        io.tapflow.servers.Directories.deleteRecursively(dir);
    }

    private List<Entry> entries() {
        Path file = dir.resolve("savepoints.tsv");
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(l -> {
                String[] parts = l.split("\t", 2);
                return new Entry(parts[0], parts.length > 1 ? parts[1] : "");
            }).toList();
        } catch (IOException e) {
            throw new TapflowException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(String name, String text, boolean append) {
        try {
            OwnerOnlyFiles.writeString(dir.resolve(name), text,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new TapflowException("cannot write " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }
}
