package io.tapflow.flink.verify;

import java.util.List;

/**
 * The result for one target table (or collection). In COUNT mode only the row counts are set and the row-level
 * counts are -1.
 *
 * @param sourceRows        rows read from the source table(s)
 * @param expectedRows      rows the pipeline's steps make of them (filters drop, unwind and UDFs fan out)
 * @param failedRows        source rows a step fails on (not expected in the target)
 * @param notCompared       fields whose value no re-run reproduces (set to the processing time), left out
 * @param notes             how the table was compared (checksums, or why not)
 * @param resolvedByRecheck differences of the first pass gone when checked again after the pipeline's lag
 * @param changing          rows whose source row changed at every re-check: neither equal nor a lasting difference
 * @param unchecked         differences beyond the re-check limit, counted but neither re-checked nor repaired
 */
public record TableReport(String targetTable, List<String> sourceTables, long sourceRows, long expectedRows, long targetRows,
                          long matched, long missing, long extra, long different, long failedRows, String firstFailure,
                          List<String> notCompared, List<String> notes, List<Difference> examples, long resolvedByRecheck, long changing, long unchecked,
                          RepairReport repair) {
    public TableReport {
        sourceTables = List.copyOf(sourceTables);
        notCompared = List.copyOf(notCompared);
        notes = List.copyOf(notes);
        examples = List.copyOf(examples);
    }

    /** Whether the target holds what the pipeline should have written (after a repair, if one was made). */
    public boolean equal() {
        if (missing < 0) {
            return expectedRows == targetRows;
        }
        return missing + extra + different + changing == 0 || repair != null && !repair.dryRun() && repair.stillDifferent() == 0;
    }

    /** The counts after a repair; null when none was asked for. */
    public record RepairReport(boolean dryRun, long upserted, long deleted, long stillDifferent, List<String> actions) {
        public RepairReport {
            actions = List.copyOf(actions);
        }
    }
}
