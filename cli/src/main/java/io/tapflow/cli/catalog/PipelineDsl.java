package io.tapflow.cli.catalog;

import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.NameCase;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.PipelineSettings;
import io.tapflow.dsl.SchemaChangeRules;
import io.tapflow.dsl.RestartPolicy;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.UdfLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A pipeline written back as the Python DSL that defines it, for the shell's {@code show <job>}. What the Python DSL
 * cannot say (a processing-time or constant field, a checkpoint interval) is written as a comment, never dropped.
 */
public final class PipelineDsl {
    private PipelineDsl() {}

    public static String python(Pipeline p) {
        List<String> defs = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        StringBuilder flow = new StringBuilder("Flow(" + str(p.name()) + ")");
        List<String> tables = p.sources().stream().flatMap(s -> java.util.stream.Stream.concat(s.tables().stream(), s.include().stream())
                .map(t -> s.datasource() + "." + t)).toList();
        p.sources().stream().filter(s -> !s.exclude().isEmpty()).forEach(s -> comments.add("# source " + s.datasource()
                + " leaves out the tables matching " + String.join(", ", s.exclude()) + " (the JSON form's \"exclude\")"));
        String query = p.sources().size() == 1 && p.sources().get(0).hasQuery() ? ", query=" + str(p.sources().get(0).query()) : "";
        call(flow, "read_from", (tables.size() == 1 ? str(tables.get(0)) : list(tables)) + query);
        for (Step step : p.steps()) {
            step(flow, defs, comments, step);
        }
        call(flow, "write_to", str(p.target().table() == null ? p.target().datasource() : p.target().datasource() + "." + p.target().table()));
        if (!p.target().key().isEmpty()) {
            call(flow, "key", list(p.target().key()));
        }
        settings(flow, comments, p.settings());
        StringBuilder out = new StringBuilder();
        defs.forEach(d -> out.append(d).append("\n\n"));
        comments.forEach(c -> out.append(c).append('\n'));
        return out.append(flow).append(".save()\n").toString();
    }

    // Java 17 has no switch over types: one instanceof per step kind of the sealed Step.
    private static void step(StringBuilder flow, List<String> defs, List<String> comments, Step step) {
        if (step instanceof Step.AddField a) {
            if (a.value() instanceof FieldValue.Expression e) {
                call(flow, "add_field", str(a.field()) + ", " + str(e.expression()) + (e.type() == null ? "" : ", " + str(e.type().jsonName())));
            } else {
                comments.add("# add_field " + str(a.field()) + " = " + a.value() + ": no Python DSL form");
            }
        } else if (step instanceof Step.Filter f) {
            call(flow, f.keep() ? "filter" : "filter_out", str(f.expression()));
        } else if (step instanceof Step.IncludeFields i) {
            call(flow, "include", list(i.fields()));
        } else if (step instanceof Step.ExcludeFields e) {
            call(flow, "exclude", list(e.fields()));
        } else if (step instanceof Step.RenameFields r) {
            call(flow, "rename_fields", dict(r.renames()));
        } else if (step instanceof Step.ChangeType c) {
            call(flow, "change_type", str(c.field()) + ", " + str(c.to().jsonName()));
        } else if (step instanceof Step.ValueMap v) {
            call(flow, "value_map", str(v.field()) + ", " + dict(v.values()));
        } else if (step instanceof Step.Unwind u) {
            call(flow, "unwind", str(u.field()));
        } else if (step instanceof Step.RenameTables r) {
            call(flow, "rename_tables", str(r.prefix()) + ", " + str(r.suffix())
                    + (r.nameCase() == NameCase.UNCHANGED ? "" : ", case=" + str(r.nameCase().jsonName())));
        } else if (step instanceof Step.JsUdf j) {
            call(flow, "js", str(j.code()));
        } else if (step instanceof Step.PyUdf py) {
            defs.add(py.source().strip());
            call(flow, "py", py.function());
        } else if (step instanceof Step.Lookup l) {
            call(flow, "lookup", lookup(defs, comments, l));
        } else {
            comments.add("# step " + step.id() + ": no Python DSL form");
        }
    }

    /**
     * A lookup's arguments, in TapFlow's words where it has them (path, type, arrayKeys, relation as [child, parent];
     * no path: the fields merged into the row) and tapflow's for a flatten prefix. Rows with their own steps are a
     * Flow of their own, defined before ({@code rows_1 = Flow('items').read_from(...).exclude(...)}).
     */
    private static String lookup(List<String> defs, List<String> comments, Step.Lookup l) {
        String source = str(l.datasource() + "." + l.table());
        if (!l.steps().isEmpty()) {
            StringBuilder rows = new StringBuilder("Flow(" + str(l.table()) + ")");
            call(rows, "read_from", source);
            for (Step step : l.steps()) {
                step(rows, defs, comments, step);
            }
            source = "rows_" + (defs.stream().filter(d -> d.startsWith("rows_")).count() + 1);
            defs.add(source + " = " + rows);
        }
        if (l.flattenPrefix() != null && !l.flattenPrefix().isEmpty()) {
            return source + ", on=" + l.on().stream().map(j -> list(List.of(j.parent(), j.child())))
                    .collect(Collectors.joining(", ", "[", "]")) + ", flatten=" + str(l.flattenPrefix());
        }
        String relation = l.on().stream().map(j -> list(List.of(j.child(), j.parent()))).collect(Collectors.joining(", ", "[", "]"));
        return source + (l.as() == null ? "" : ", path=" + str(l.as())) + (l.many() ? ", type='array'" : "")
                + (l.arrayKey().isEmpty() ? "" : ", arrayKeys=" + list(l.arrayKey())) + ", relation=" + relation;
    }

    private static void settings(StringBuilder flow, List<String> comments, PipelineSettings s) {
        if (s.parallelism() != PipelineSettings.DEFAULTS.parallelism()) {
            call(flow, "parallelism", str(String.valueOf(s.parallelism())));
        }
        ErrorPolicy e = s.onError();
        switch (e.mode()) {
            case FAIL -> { }
            case SKIP -> call(flow, "on_error", "'skip', " + str(String.valueOf(e.maxErrors())));
            case DEAD_LETTER -> call(flow, "on_error", "'dead_letter', " + str(e.deadLetter().datasource() + "." + e.deadLetter().table()));
        }
        UdfLimits u = s.udf();
        if (!u.equals(UdfLimits.DEFAULTS)) {
            call(flow, "udf_limits", str(String.valueOf(u.timeLimitMs())) + ", " + str(String.valueOf(u.allowIo())));
        }
        RestartPolicy r = s.restart();
        if (!r.equals(RestartPolicy.DEFAULT)) {
            switch (r.mode()) {
                case "exponential" -> call(flow, "restarts", "'exponential', " + r.initialDelayMs() / 1000.0 + ", " + r.maxDelayMs() / 1000.0);
                case "fixed" -> call(flow, "restarts", "'fixed', " + r.attempts() + ", " + r.initialDelayMs() / 1000.0);
                default -> call(flow, "restarts", "'none'");
            }
        }
        if (s.verifySamplePerSecond() != 0) {
            call(flow, "verify_sample_per_second", str(String.valueOf(s.verifySamplePerSecond())));
        }
        if (s.schemaChanges() != PipelineSettings.DEFAULTS.schemaChanges() || !s.schemaChangeOverrides().isEmpty()) {
            StringBuilder args = new StringBuilder(str(s.schemaChanges().text()));
            SchemaChangeRules.texts(s.schemaChangeOverrides()).forEach((kind, policy) -> args.append(", ").append(kind)
                    .append('=').append(str(policy)));
            call(flow, "schema_changes", args.toString());
        }
        if (s.checkpointIntervalMs() != PipelineSettings.DEFAULTS.checkpointIntervalMs()) {
            comments.add("# checkpoint interval " + s.checkpointIntervalMs() + " ms: no Python DSL form");
        }
    }

    private static void call(StringBuilder flow, String method, String args) {
        flow.append(" \\\n    .").append(method).append('(').append(args).append(')');
    }

    /** A Python string literal. */
    static String str(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'";
    }

    private static String list(List<String> items) {
        return items.stream().map(PipelineDsl::str).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String dict(Map<String, String> map) {
        return map.entrySet().stream().map(e -> str(e.getKey()) + ": " + str(e.getValue())).collect(Collectors.joining(", ", "{", "}"));
    }
}
