package io.tapflow.cli.command;

import io.tapflow.flink.job.PipelineExplanation;
import io.tapflow.flink.job.PipelineExplanation.LookupExplanation;
import io.tapflow.flink.job.PipelineExplanation.SchemaChangeEffect;
import io.tapflow.flink.job.PipelineExplanation.SourceExplanation;
import io.tapflow.flink.job.PipelineExplanation.StepColumns;
import io.tapflow.flink.job.PipelineExplanation.TableExplanation;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

/** A {@link PipelineExplanation} as text: sources, then one block per source table, then the schema-change matrix. */
final class ExplainText {
    private ExplainText() {}

    static void print(PipelineExplanation e, PrintWriter out) {
        out.println("pipeline '" + e.pipeline() + "' writes to '" + e.target() + "' (" + e.targetType() + ")");
        for (SourceExplanation s : e.sources()) {
            out.println();
            out.println("source '" + s.datasource() + "' (" + s.type() + ")" + selection(s) + ": " + s.tables().size()
                    + " table" + (s.tables().size() == 1 ? "" : "s"));
            out.println("  " + String.join(", ", s.tables()));
        }
        for (TableExplanation t : e.tables()) {
            out.println();
            out.println("table " + t.sourceTable() + " (source '" + t.datasource() + "'), key " + t.key());
            out.println("  columns: " + t.sourceColumns().stream()
                    .map(c -> c.name() + " " + c.type() + (c.nullable() ? "" : " not null")).collect(Collectors.joining(", ")));
            int width = t.steps().stream().mapToInt(s -> label(s).length()).max().orElse(0);
            for (StepColumns s : t.steps()) {
                out.printf("  %-" + width + "s  %s%n", label(s), columns(s));
            }
            out.println("  -> target table " + t.targetTable() + (t.targetExists() ? " (exists; written as it is)"
                    : t.createStatement() == null ? " (would be created; this target has no SQL DDL)" : " (would be created):"));
            if (!t.targetExists() && t.createStatement() != null) {
                t.createStatement().lines().forEach(l -> out.println("     " + l));
            }
        }
        e.lookups().forEach(l -> lookup(l, out));
        out.println();
        out.println("schema changes in a source table (policy " + e.schemaChangePolicy() + "):");
        int width = e.schemaChanges().stream().mapToInt(c -> c.change().length()).max().orElse(0);
        for (SchemaChangeEffect c : e.schemaChanges()) {
            out.printf("  %-" + width + "s  %s%n", c.change(), c.effect());
        }
    }

    private static void lookup(LookupExplanation l, PrintWriter out) {
        out.println();
        out.println("lookup " + l.path() + ": table " + l.table() + " (source '" + l.datasource() + "'), key " + l.key()
                + ", joined on " + l.on().stream().map(j -> j.parent() + " = " + j.child()).collect(Collectors.joining(" and ")));
        int dot = l.path().lastIndexOf('.');
        String field = l.path().substring(dot + 1);
        String into = dot < 0 ? "" : " of each row embedded at '" + l.path().substring(0, dot) + "'";
        out.println("  " + switch (l.shape()) {
            case "array" -> "embeds every matching row as array field '" + field + "'" + into + ", elements ordered and "
                    + "identified by " + l.arrayKey();
            case "object" -> "embeds the matching row as object field '" + field + "'" + into + " (null when none matches)";
            default -> "adds the matching row's fields" + into + " (null when none matches)";
        });
        int width = l.steps().stream().mapToInt(s -> label(s).length()).max().orElse(0);
        for (StepColumns s : l.steps()) {
            out.printf("  %-" + width + "s  %s%n", label(s), columns(s));
        }
        out.println(l.targetColumns().isEmpty() ? "  -> no target column of its own: it is part of '" + l.path().substring(0, Math.max(dot, 0)) + "'"
                : "  -> target column" + (l.targetColumns().size() == 1 ? " " : "s ") + l.targetColumns().stream()
                        .map(c -> c.name() + " " + c.type()).collect(Collectors.joining(", ")));
    }

    private static String selection(SourceExplanation s) {
        if (s.include().isEmpty()) {
            return "";
        }
        return ", tables matching " + String.join(", ", s.include())
                + (s.exclude().isEmpty() ? "" : " except " + String.join(", ", s.exclude()))
                + (s.named().isEmpty() ? "" : " and named " + String.join(", ", s.named()));
    }

    private static String label(StepColumns s) {
        return s.step().equals("source") ? "as read" : "after " + s.kind() + " (" + s.step() + ")";
    }

    /** Column names with the key fields marked by '*'. */
    private static String columns(StepColumns s) {
        List<String> names = s.columns().stream().map(c -> s.key().contains(c) ? c + "*" : c).toList();
        return String.join(", ", names);
    }
}
