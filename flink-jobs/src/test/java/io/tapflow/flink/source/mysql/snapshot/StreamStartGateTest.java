package io.tapflow.flink.source.mysql.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamStartGateTest {
    private final List<Integer> told = new ArrayList<>();

    @Test
    void oneReaderNeedsNoCheckpoint() {
        assertThat(new StreamStartGate(1, false).isOpen()).isTrue();
    }

    @Test
    void opensOnlyWhenACheckpointTakenAfterEverySplitWasDoneCompletes() {
        StreamStartGate gate = new StreamStartGate(2, false);
        gate.hold(0);
        gate.onCheckpoint(4, false);
        assertThat(gate.onCheckpointComplete(4, told::add)).as("checkpoint 4 was taken before the last split was done").isFalse();
        gate.hold(1);
        gate.onCheckpoint(5, true);
        gate.onCheckpoint(6, true);
        assertThat(gate.isOpen()).isFalse();
        assertThat(gate.onCheckpointComplete(4, told::add)).isFalse();
        assertThat(told).isEmpty();

        assertThat(gate.onCheckpointComplete(5, told::add)).isTrue();
        assertThat(gate.isOpen()).isTrue();
        assertThat(told).containsExactly(0, 1);
        assertThat(gate.onCheckpointComplete(6, told::add)).as("opens once").isFalse();
        assertThat(told).containsExactly(0, 1);
    }

    @Test
    void aLaterCheckpointOpensItWhenTheFirstOneWasAborted() {
        StreamStartGate gate = new StreamStartGate(2, false);
        gate.hold(1);
        gate.onCheckpoint(7, true);
        gate.onCheckpoint(8, true);
        assertThat(gate.onCheckpointComplete(8, told::add)).isTrue();
        assertThat(told).containsExactly(1);
    }

    @Test
    void stateRestoredWithEverySplitDoneIsOpen() {
        assertThat(new StreamStartGate(2, true).isOpen()).isTrue();
    }
}
