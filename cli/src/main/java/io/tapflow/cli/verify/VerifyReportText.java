package io.tapflow.cli.verify;

import io.tapflow.flink.event.RowValues;
import io.tapflow.flink.verify.Difference;
import io.tapflow.flink.verify.TableReport;
import io.tapflow.flink.verify.VerifyMode;
import io.tapflow.flink.verify.VerifyReport;
import java.io.PrintWriter;
import java.util.stream.Collectors;

/** A verify report as the terminal shows it: one line of counts per table, then its example differences. */
final class VerifyReportText {
    private static final String ROW = "%-28s %10s %10s %10s %9s %7s %10s%n";

    private VerifyReportText() {}

    static void print(VerifyReport report, PrintWriter out) {
        out.println("verified pipeline '" + report.pipeline() + "' against target '" + report.target() + "' ("
                + report.mode().name().toLowerCase() + " mode)");
        if (report.mode() == VerifyMode.COUNT) {
            out.printf("%-28s %10s %10s %10s%n", "TABLE", "SOURCE", "EXPECTED", "TARGET");
            report.tables().forEach(t -> out.printf("%-28s %10d %10d %10d%s%n", t.targetTable(), t.sourceRows(), t.expectedRows(),
                    t.targetRows(), t.equal() ? "" : "   counts differ"));
        } else {
            out.printf(ROW, "TABLE", "SOURCE", "TARGET", "MATCHED", "MISSING", "EXTRA", "DIFFERENT");
            report.tables().forEach(t -> printTable(t, out));
        }
        long unequal = report.tables().stream().filter(t -> !t.equal()).count();
        out.println(unequal == 0 ? "result: equal" : "result: " + unequal + " of " + report.tables().size() + " table(s) differ");
        out.flush();
    }

    private static void printTable(TableReport t, PrintWriter out) {
        out.printf(ROW, t.targetTable(), t.sourceRows(), t.targetRows(), t.matched(), t.missing(), t.extra(), t.different());
        for (Difference d : t.examples()) {
            out.println("  " + d.kind().name().toLowerCase() + " " + d.keyText() + (d.fields().isEmpty() ? "" : ": "
                    + d.fields().stream().map(f -> f.field() + " " + quoted(f.expected()) + " -> " + quoted(f.actual()))
                    .collect(Collectors.joining(", "))));
        }
        long shown = t.examples().size();
        if (t.missing() + t.extra() + t.different() > shown) {
            out.println("  ... " + (t.missing() + t.extra() + t.different() - shown) + " more (--examples N shows more)");
        }
        t.notes().forEach(n -> out.println("  " + n));
        if (t.resolvedByRecheck() > 0) {
            out.println("  " + t.resolvedByRecheck() + " difference(s) of the first pass were gone when checked again after the pipeline's lag"
                    + (t.sourceRows() == t.targetRows() ? "" : " (SOURCE and TARGET above are the first pass's counts, read while rows changed)"));
        }
        if (t.changing() > 0) {
            out.println("  " + t.changing() + " row(s) changed in the source at every re-check: not verified, run verify again");
        }
        if (t.unchecked() > 0) {
            out.println("  " + t.unchecked() + " difference(s) beyond the re-check limit were neither checked again nor repaired");
        }
        if (t.failedRows() > 0) {
            out.println("  " + t.failedRows() + " source row(s) fail in a step and are not expected in the target; first: " + t.firstFailure());
        }
        if (!t.notCompared().isEmpty()) {
            out.println("  not compared (set to the processing time when written): " + String.join(", ", t.notCompared()));
        }
        if (t.repair() != null) {
            TableReport.RepairReport r = t.repair();
            out.println("  " + (r.dryRun() ? "repair would upsert " : "repaired: upserted ") + r.upserted() + " and delete"
                    + (r.dryRun() ? " " : "d ") + r.deleted() + " row(s)" + (r.dryRun() ? "" : "; still different: " + r.stillDifferent()));
            r.actions().forEach(a -> out.println("    " + a));
        }
    }

    private static String quoted(Object value) {
        return value instanceof String s ? "'" + s + "'" : RowValues.format(value);
    }
}
