package io.tapflow.flink.source.mysql.snapshot;

/**
 * How far the snapshot of one table is: splits done of all its splits, the rows those splits held, and the row count
 * the server estimated when the snapshot was planned ({@link #UNKNOWN} for state written before estimates were kept).
 */
public record TableProgress(int splits, int splitsDone, long rows, long estimatedRows) {
    public static final long UNKNOWN = -1;

    /** A table about to be read in {@code splits} splits. */
    static TableProgress planned(int splits, long estimatedRows) {
        return new TableProgress(splits, 0, 0, estimatedRows);
    }

    TableProgress withSplitDone(long splitRows) {
        return new TableProgress(splits, splitsDone + 1, rows + splitRows, estimatedRows);
    }

    boolean done() {
        return splitsDone == splits;
    }
}
