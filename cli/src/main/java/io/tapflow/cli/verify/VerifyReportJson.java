package io.tapflow.cli.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapflow.flink.event.RowValues;
import io.tapflow.flink.verify.Difference;
import io.tapflow.flink.verify.TableReport;
import io.tapflow.flink.verify.VerifyReport;

/** A verify report as JSON ({@code --json}): the same counts and examples; values in their text form. */
final class VerifyReportJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private VerifyReportJson() {}

    static String of(VerifyReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("pipeline", report.pipeline());
        root.put("target", report.target());
        root.put("mode", report.mode().name().toLowerCase());
        root.put("equal", report.equal());
        ArrayNode tables = root.putArray("tables");
        report.tables().forEach(t -> table(t, tables.addObject()));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void table(TableReport t, ObjectNode node) {
        node.put("table", t.targetTable());
        t.sourceTables().forEach(node.putArray("sourceTables")::add);
        node.put("equal", t.equal());
        node.put("sourceRows", t.sourceRows());
        node.put("expectedRows", t.expectedRows());
        node.put("targetRows", t.targetRows());
        if (t.missing() >= 0) {
            node.put("matched", t.matched());
            node.put("missing", t.missing());
            node.put("extra", t.extra());
            node.put("different", t.different());
            node.put("resolvedByRecheck", t.resolvedByRecheck());
            node.put("changing", t.changing());
            node.put("notRechecked", t.unchecked());
        }
        node.put("failedRows", t.failedRows());
        t.notCompared().forEach(node.putArray("notCompared")::add);
        t.notes().forEach(node.putArray("notes")::add);
        ArrayNode examples = node.putArray("examples");
        for (Difference d : t.examples()) {
            ObjectNode e = examples.addObject();
            e.put("kind", d.kind().name().toLowerCase());
            ObjectNode key = e.putObject("key");
            d.key().forEach((k, v) -> key.put(k, RowValues.format(v)));
            ArrayNode fields = e.putArray("fields");
            d.fields().forEach(f -> fields.addObject().put("field", f.field())
                    .put("expected", f.expected() == null ? null : RowValues.format(f.expected()))
                    .put("actual", f.actual() == null ? null : RowValues.format(f.actual())));
        }
        if (t.repair() != null) {
            ObjectNode r = node.putObject("repair");
            r.put("dryRun", t.repair().dryRun());
            r.put("upserted", t.repair().upserted());
            r.put("deleted", t.repair().deleted());
            if (!t.repair().dryRun()) {
                r.put("stillDifferent", t.repair().stillDifferent());
            }
            t.repair().actions().forEach(r.putArray("actions")::add);
        }
    }
}
