package io.tapflow.flink.source.mysql.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SnapshotSplitPlannerTest {

    @Test
    void oneReaderKeepsTheChunkSize() {
        assertEquals(5, SnapshotSplitPlanner.chunks(300_000, 300_000, 65_536, 1));
        assertEquals(1, SnapshotSplitPlanner.chunks(1_000, 1_000, 65_536, 1));
    }

    @Test
    void severalReadersGetFourSplitsEachWhereChunksWouldBeFew() {
        // 300,000 rows in chunks of 65,536 would be 5 splits: one of two readers would read 3 of them.
        assertEquals(8, SnapshotSplitPlanner.chunks(300_000, 300_000, 65_536, 2));
        assertEquals(16, SnapshotSplitPlanner.chunks(300_000, 300_000, 65_536, 4));
    }

    @Test
    void severalReadersKeepTheChunkSizeWhereItGivesEnoughSplits() {
        assertEquals(16, SnapshotSplitPlanner.chunks(1_000_000, 1_000_000, 65_536, 2));
    }

    @Test
    void noParallelSplitIsSmallerThanTheMinimum() {
        assertEquals(2, SnapshotSplitPlanner.chunks(10_000, 10_000, 65_536, 2));
        assertEquals(1, SnapshotSplitPlanner.chunks(3_000, 3_000, 65_536, 2));
    }

    @Test
    void neverMoreSplitsThanKeyValues() {
        assertEquals(3, SnapshotSplitPlanner.chunks(300_000, 3, 65_536, 2));
    }
}
