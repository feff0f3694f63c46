package io.tapflow.dsl;

import io.tapflow.dsl.ConnectorType.Role;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a pipeline and the datasources it may use into a {@link JobSpec}, or throws one
 * {@link InvalidDefinitionException} listing every problem found.
 */
public final class PipelineValidator {
    private PipelineValidator() {}

    public static JobSpec validate(Pipeline pipeline, Map<String, DataSource> available) {
        List<String> problems = new ArrayList<>();
        Map<String, DataSource> used = new LinkedHashMap<>();
        DataSourceValidator.nameProblem(pipeline.name()).ifPresent(problems::add);
        if (pipeline.sources().isEmpty()) {
            problems.add("no source: name one with \"sources\": [{\"datasource\": \"ds\", \"tables\": [\"t\"]}] in JSON, "
                    + "read_from('ds.t') in a script, readFrom(ds.table(\"t\")) in Java");
        }
        if (pipeline.settings().verifySamplePerSecond() > 0 && pipeline.sources().stream().anyMatch(SourceSpec::hasQuery)) {
            problems.add("verify.sample-per-second needs source tables to re-read, and this pipeline reads a query; turn it off");
        }
        if (pipeline.sources().size() > 1 && pipeline.sources().stream().anyMatch(SourceSpec::hasQuery)) {
            problems.add("a query source cannot be part of a union: its read ends while the other sources stream; "
                    + "run it as a pipeline of its own");
        }
        Set<String> sourceNames = new HashSet<>();
        for (SourceSpec source : pipeline.sources()) {
            checkSource(source, available, used, problems);
            if (!sourceNames.add(source.datasource())) {
                problems.add("source '" + source.datasource() + "' is listed twice; name all its tables in one source");
            }
        }
        problems.addAll(StepValidator.problems(pipeline.steps()));
        lookups(pipeline.steps()).forEach(l -> checkDataSource("lookup '" + l.id() + "'", l.datasource(), Role.SOURCE,
                available, used, problems));
        TargetSpec target = pipeline.target();
        if (target == null) {
            // The same check serves every way of writing a pipeline, so the message names each one's spelling.
            problems.add("no target: name one with \"target\": {\"datasource\": \"ds\", \"table\": \"t\"} in JSON, "
                    + "write_to('ds.t') in a script, writeTo(ds.table(\"t\")) in Java");
        } else {
            checkDataSource("target", target.datasource(), Role.TARGET, available, used, problems);
            if (target.key().stream().anyMatch(k -> k == null || k.isBlank())) {
                problems.add("target key has a blank field name: " + target.key());
            }
            problems.addAll(keyFieldsSetBySteps(target.key(), pipeline.steps()));
        }
        checkSettings(pipeline.settings(), available, used, problems);
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException(pipeline.name() == null ? "pipeline" : "pipeline '" + pipeline.name() + "'", problems);
        }
        return new JobSpec(pipeline, List.copyOf(used.values()));
    }

    /**
     * Key fields an add_field step sets. A delete carries only the source row's before image and a step's value (a
     * time, an expression) is not stable across a row's changes, so such a key could not find the target row again.
     */
    private static List<String> keyFieldsSetBySteps(List<String> key, List<Step> steps) {
        List<String> out = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof Step.AddField add && key.contains(add.field())) {
                out.add("target key field '" + add.field() + "' is set by step '" + add.id() + "'; a key names source "
                        + "columns (a delete carries only the source row, so a value a step computes cannot find the "
                        + "target row); key the target by source columns or give the field another name");
            }
        }
        return out;
    }

    /** Every lookup of these steps, nested ones included. */
    static List<Step.Lookup> lookups(List<Step> steps) {
        List<Step.Lookup> out = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof Step.Lookup lookup && lookup.datasource() != null) {
                out.add(lookup);
                out.addAll(lookups(lookup.steps()));
            }
        }
        return out;
    }

    private static void checkSource(SourceSpec source, Map<String, DataSource> available, Map<String, DataSource> used,
                                    List<String> problems) {
        checkDataSource("source", source.datasource(), Role.SOURCE, available, used, problems);
        if (source.tables().isEmpty() && source.include().isEmpty()) {
            problems.add("source '" + source.datasource() + "' names no table");
        }
        if (source.include().isEmpty() && !source.exclude().isEmpty()) {
            problems.add("source '" + source.datasource() + "' excludes tables " + source.exclude()
                    + " but selects none by pattern; add \"include\" patterns");
        }
        java.util.stream.Stream.concat(source.include().stream(), source.exclude().stream()).map(TablePattern::syntaxProblem)
                .filter(java.util.Objects::nonNull).forEach(p -> problems.add("source '" + source.datasource() + "': " + p));
        source.tables().stream().filter(t -> t == null || t.isBlank())
                .findAny().ifPresent(t -> problems.add("source '" + source.datasource() + "' has a blank table name"));
        if (new HashSet<>(source.tables()).size() != source.tables().size()) {
            problems.add("source '" + source.datasource() + "' names a table twice: " + source.tables());
        }
        if (source.hasQuery() && source.query().isBlank()) {
            problems.add("source '" + source.datasource() + "' has a blank query; write a SELECT");
        }
        if (source.hasQuery() && source.tables().size() != 1) {
            problems.add("source '" + source.datasource() + "' reads a query, which needs exactly one name for its result, "
                    + "got " + source.tables());
        }
    }

    private static void checkDataSource(String role, String name, Role needed, Map<String, DataSource> available,
                                        Map<String, DataSource> used, List<String> problems) {
        DataSource ds = available.get(name);
        if (ds == null) {
            problems.add(role + ": " + new NoSuchDataSourceException(name, available.keySet()).getMessage());
            return;
        }
        DataSourceValidator.problems(ds).forEach(p -> problems.add(role + " datasource '" + name + "': " + p));
        ConnectorTypes.find(ds.type()).filter(t -> !t.roles().contains(needed)).ifPresent(t -> problems.add(
                role + " datasource '" + name + "' is of type " + t.identifier() + ", which cannot be used as a "
                        + role + " (it can be: " + t.roles().stream().map(r -> r.name().toLowerCase()).sorted().toList() + ")"));
        used.put(name, ds);
    }

    private static void checkSettings(PipelineSettings settings, Map<String, DataSource> available,
                                      Map<String, DataSource> used, List<String> problems) {
        if (settings.parallelism() < 1) {
            problems.add("parallelism must be at least 1, got " + settings.parallelism());
        }
        if (settings.checkpointIntervalMs() < 100) {
            problems.add("checkpoint interval must be at least 100 ms, got " + settings.checkpointIntervalMs());
        }
        if (settings.udf().timeLimitMs() < 1) {
            problems.add("UDF time limit must be at least 1 ms, got " + settings.udf().timeLimitMs());
        }
        problems.addAll(settings.restart().problems());
        int sample = settings.verifySamplePerSecond();
        if (sample < 0 || sample > PipelineSettings.MAX_VERIFY_SAMPLE_PER_SECOND) {
            problems.add("verify.sample-per-second must be 0 (off) to " + PipelineSettings.MAX_VERIFY_SAMPLE_PER_SECOND
                    + " keys per second, got " + sample);
        }
        ErrorPolicy policy = settings.onError();
        if (policy.mode() == ErrorPolicy.Mode.SKIP && policy.maxErrors() < 1) {
            problems.add("error policy 'skip' needs a maximum number of errors of at least 1, got " + policy.maxErrors());
        }
        if (policy.mode() == ErrorPolicy.Mode.DEAD_LETTER) {
            if (policy.deadLetter() == null || policy.deadLetter().table() == null || policy.deadLetter().table().isBlank()) {
                problems.add("error policy 'dead_letter' needs a dead-letter table, e.g. ErrorPolicy.deadLetter(pg.table(\"errors\"))");
            } else {
                checkDataSource("dead-letter", policy.deadLetter().datasource(), Role.TARGET, available, used, problems);
            }
        }
    }
}
