package io.tapflow.flink.source.snapshot;

/** How far the snapshot of one table is: splits done of all its splits, and the rows those splits held. */
public record TableProgress(int splits, int splitsDone, long rows) {

    TableProgress withSplitDone(long splitRows) {
        return new TableProgress(splits, splitsDone + 1, rows + splitRows);
    }

    boolean done() {
        return splitsDone == splits;
    }
}
