package io.tapflow.flink.source.mysql.snapshot;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Holds back the end of the snapshot (and so the switch to the change stream) until a checkpoint that covers every
 * snapshot row has completed. With several readers, a snapshot row can still be on its way to a sink (or in a sink's
 * buffer) when the change stream starts; a change to the same key read from the binlog could then be written first and
 * be overwritten by the older snapshot row. A completed checkpoint whose enumerator state already counted every split
 * done has, by the order of Flink's checkpoint (coordinators first, then barriers behind the rows the readers emitted
 * before they reported their splits), seen every sink flush every snapshot row. Flink CDC's snapshot split assigners
 * wait the same way before they assign the stream split ({@code SnapshotSplitAssigner#notifyCheckpointComplete}); one
 * reader needs no wait, as there the change stream follows the snapshot rows through the same task.
 *
 * <p>Readers that ask for a split when none is left wait here; {@link #release} tells them there are no more.
 */
final class StreamStartGate {
    private final boolean waits;
    private final Set<Integer> waitingReaders = new LinkedHashSet<>();
    private Long releasingCheckpoint;
    private boolean released;

    /**
     * @param readers          the snapshot's parallelism
     * @param startsAllDone    whether the state the enumerator starts from already counts every split done: then either
     *                         there was nothing to read, or the state belongs to a completed checkpoint, which by the
     *                         order above covers every snapshot row
     */
    StreamStartGate(int readers, boolean startsAllDone) {
        this.waits = readers > 1;
        this.released = !waits || startsAllDone;
    }

    /** Whether a reader asking for a split while none is left may be told the snapshot is over. */
    boolean isOpen() {
        return released;
    }

    /** A reader asked for a split and none is left: it is told once the gate opens. */
    void hold(int reader) {
        waitingReaders.add(reader);
    }

    /** Called when the enumerator's state is taken for a checkpoint. */
    void onCheckpoint(long checkpointId, boolean allSplitsDone) {
        if (!released && allSplitsDone && releasingCheckpoint == null) {
            releasingCheckpoint = checkpointId;
        }
    }

    /**
     * Called when a checkpoint completed; opens the gate once the first checkpoint taken after every split was done has
     * completed, telling each waiting reader that there are no more splits.
     *
     * @return whether this call opened the gate
     */
    boolean onCheckpointComplete(long checkpointId, IntConsumer noMoreSplits) {
        if (released || releasingCheckpoint == null || checkpointId < releasingCheckpoint) {
            return false;
        }
        released = true;
        waitingReaders.forEach(noMoreSplits::accept);
        waitingReaders.clear();
        return true;
    }
}
