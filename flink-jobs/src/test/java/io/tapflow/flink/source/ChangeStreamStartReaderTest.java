package io.tapflow.flink.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.InputStatus;
import org.junit.jupiter.api.Test;

class ChangeStreamStartReaderTest {
    private record Split(String splitId, boolean stream) implements SourceSplit {}

    /** A reader with nothing to read until told: its availability future stays open, as an idle stream's does. */
    private static final class IdleReader implements SourceReader<ChangeEvent, Split> {
        final List<Split> splits = new ArrayList<>();
        final CompletableFuture<Void> available = new CompletableFuture<>();
        ChangeEvent next;

        @Override
        public void start() {}

        @Override
        public InputStatus pollNext(ReaderOutput<ChangeEvent> output) {
            if (next == null) {
                return InputStatus.NOTHING_AVAILABLE;
            }
            output.collect(next);
            next = null;
            return InputStatus.NOTHING_AVAILABLE;
        }

        @Override
        public List<Split> snapshotState(long checkpointId) {
            return splits;
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return available;
        }

        @Override
        public void addSplits(List<Split> added) {
            splits.addAll(added);
        }

        @Override
        public void notifyNoMoreSplits() {}

        @Override
        public void close() {}
    }

    private static final class Collected implements ReaderOutput<ChangeEvent> {
        final List<ChangeEvent> events = new ArrayList<>();

        @Override
        public void collect(ChangeEvent record) {
            events.add(record);
        }

        @Override
        public void collect(ChangeEvent record, long timestamp) {
            events.add(record);
        }

        @Override
        public void emitWatermark(Watermark watermark) {}

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}

        @Override
        public SourceOutput<ChangeEvent> createOutputForSplit(String splitId) {
            return this;
        }

        @Override
        public void releaseOutputForSplit(String splitId) {}
    }

    @Test
    void aStreamSplitWakesTheWaitingTaskAndIsAnnouncedOnceBeforeItsChanges() throws Exception {
        IdleReader idle = new IdleReader();
        ChangeStreamStartReader<Split> reader = new ChangeStreamStartReader<>(idle, split -> ((Split) split).stream());
        Collected out = new Collected();

        reader.addSplits(List.of(new Split("snapshot-0", false)));
        CompletableFuture<Void> waiting = reader.isAvailable();
        assertThat(reader.pollNext(out)).isEqualTo(InputStatus.NOTHING_AVAILABLE);
        assertThat(waiting).isNotDone();

        reader.addSplits(List.of(new Split("stream", true)));
        assertThat(waiting).as("the task waiting since before the stream split came is woken").isDone();
        idle.next = new ChangeEvent(Op.INSERT, "db.t", Map.of(), null, Map.of("id", 1), 0);
        reader.pollNext(out);
        reader.pollNext(out);
        reader.pollNext(out);

        assertThat(out.events).hasSize(2);
        assertThat(ChangeStreamStart.is(out.events.get(0))).isTrue();
        assertThat(out.events.get(1).table()).isEqualTo("db.t");
        assertThat(reader.isAvailable()).as("then the reader's own availability").isSameAs(idle.available);
        assertThat(reader.snapshotState(1)).extracting(Split::splitId).containsExactly("snapshot-0", "stream");
    }

    @Test
    void aReaderWithoutAStreamSplitAnnouncesNothing() throws Exception {
        IdleReader idle = new IdleReader();
        ChangeStreamStartReader<Split> reader = new ChangeStreamStartReader<>(idle, split -> ((Split) split).stream());
        Collected out = new Collected();
        reader.addSplits(List.of(new Split("snapshot-0", false)));
        idle.next = new ChangeEvent(Op.READ, "db.t", Map.of(), null, Map.of("id", 1), 0);
        reader.pollNext(out);
        reader.pollNext(out);
        assertThat(out.events).extracting(ChangeEvent::table).containsExactly("db.t");
    }
}
