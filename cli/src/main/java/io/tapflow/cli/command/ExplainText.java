package io.tapflow.cli.command;

import io.tapflow.flink.job.PipelineExplanation;
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
        out.println();
        out.println("schema changes in a source table (policy " + e.schemaChangePolicy() + "):");
        int width = e.schemaChanges().stream().mapToInt(c -> c.change().length()).max().orElse(0);
        for (SchemaChangeEffect c : e.schemaChanges()) {
            out.printf("  %-" + width + "s  %s%n", c.change(), c.effect());
        }
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
