package io.tapflow.flink.verify;

import java.util.List;

/** The result of verifying a pipeline: one report per target table, in the pipeline's order. */
public record VerifyReport(String pipeline, String target, VerifyMode mode, List<TableReport> tables) {
    public VerifyReport {
        tables = List.copyOf(tables);
    }

    public boolean equal() {
        return tables.stream().allMatch(TableReport::equal);
    }
}
