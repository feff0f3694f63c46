package io.tapflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.cli.flink.JobSnapshot.SnapshotProgress;
import org.junit.jupiter.api.Test;

class JobFormatTest {
    @Test
    void runningSnapshotShowsRowsOfEstimatedAndSplits() {
        assertThat(JobFormat.snapshot(new SnapshotProgress(10, 3, 30_000, 100_000)))
                .isEqualTo("snapshot 30000 of ~100000 rows (30%), 3/10 splits");
    }

    @Test
    void lowEstimateNeverShowsAFinishedSnapshot() {
        assertThat(JobFormat.snapshot(new SnapshotProgress(2, 1, 5_000, 4_000)))
                .isEqualTo("snapshot 5000 of ~4000 rows (99%), 1/2 splits");
    }

    @Test
    void unknownEstimateShowsRowsSoFar() {
        assertThat(JobFormat.snapshot(new SnapshotProgress(4, 0, 12, -1))).isEqualTo("snapshot 12 rows so far, 0/4 splits");
    }

    @Test
    void finishedSnapshotShowsItsRows() {
        assertThat(JobFormat.snapshot(new SnapshotProgress(4, 4, 250_000, 240_000))).isEqualTo("snapshot done: 250000 rows");
    }
}
