package io.tapflow.flink.source;

import io.tapflow.flink.event.ChangeEvent;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** A change-data source whose readers announce the start of the change stream ({@link ChangeStreamStartReader}). */
public final class ChangeStreamStartSource<SplitT extends SourceSplit, EnumT> implements Source<ChangeEvent, SplitT, EnumT> {
    private static final long serialVersionUID = 1L;
    private final Source<ChangeEvent, SplitT, EnumT> source;
    private final ChangeStreamStartReader.StreamSplits streamSplits;

    public ChangeStreamStartSource(Source<ChangeEvent, SplitT, EnumT> source, ChangeStreamStartReader.StreamSplits streamSplits) {
        this.source = source;
        this.streamSplits = streamSplits;
    }

    @Override
    public Boundedness getBoundedness() {
        return source.getBoundedness();
    }

    @Override
    public SourceReader<ChangeEvent, SplitT> createReader(SourceReaderContext context) throws Exception {
        return new ChangeStreamStartReader<>(source.createReader(context), streamSplits);
    }

    @Override
    public SplitEnumerator<SplitT, EnumT> createEnumerator(SplitEnumeratorContext<SplitT> context) throws Exception {
        return source.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<SplitT, EnumT> restoreEnumerator(SplitEnumeratorContext<SplitT> context, EnumT state) throws Exception {
        return source.restoreEnumerator(context, state);
    }

    @Override
    public SimpleVersionedSerializer<SplitT> getSplitSerializer() {
        return source.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<EnumT> getEnumeratorCheckpointSerializer() {
        return source.getEnumeratorCheckpointSerializer();
    }
}
