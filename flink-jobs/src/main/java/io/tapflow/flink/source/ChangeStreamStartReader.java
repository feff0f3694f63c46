package io.tapflow.flink.source;

import io.tapflow.flink.event.ChangeEvent;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.InputStatus;

/**
 * A change-data source reader that emits {@link ChangeStreamStart} once a change-stream split is added to it (assigned
 * by the enumerator, or restored from a checkpoint), before the stream's first change. The task is woken for it:
 * a stream on which nothing changes would otherwise leave the reader without anything to poll.
 */
public final class ChangeStreamStartReader<SplitT extends SourceSplit> extends ForwardingSourceReader<SplitT> {
    /** Tells a change-stream split from a snapshot split. */
    public interface StreamSplits extends Predicate<SourceSplit>, Serializable {}

    private final StreamSplits streamSplits;
    private final CompletableFuture<Void> streamAdded = new CompletableFuture<>();
    private boolean started;

    public ChangeStreamStartReader(SourceReader<ChangeEvent, SplitT> reader, StreamSplits streamSplits) {
        super(reader);
        this.streamSplits = streamSplits;
    }

    @Override
    public InputStatus pollNext(ReaderOutput<ChangeEvent> output) throws Exception {
        if (streamAdded.isDone() && !started) {
            started = true;
            output.collect(ChangeStreamStart.event());
            return InputStatus.MORE_AVAILABLE;
        }
        return reader.pollNext(output);
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        if (started) {
            return reader.isAvailable();
        }
        // Until the stream starts, a stream split added while the task waits for the reader wakes it as well.
        return CompletableFuture.anyOf(reader.isAvailable(), streamAdded).thenApply(ignored -> null);
    }

    @Override
    public void addSplits(List<SplitT> splits) {
        reader.addSplits(splits);
        if (splits.stream().anyMatch(streamSplits)) {
            streamAdded.complete(null);
        }
    }
}
