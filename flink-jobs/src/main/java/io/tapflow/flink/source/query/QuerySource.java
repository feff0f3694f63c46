package io.tapflow.flink.source.query;

import io.tapflow.flink.event.ChangeEvent;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

/**
 * The result of a SELECT, read once as a bounded source (TapFlow's {@code read_from(..., query=...)} when the query is
 * more than a filter of one table): a result cannot carry changes, so the job ends when every row is written. One
 * reader subtask runs the query; the others finish at once.
 */
public final class QuerySource implements Source<ChangeEvent, QuerySplit, List<QuerySplit>> {
    private static final long serialVersionUID = 1L;
    private static final int BATCH_SIZE = 1_000;

    private final QueryRows query;

    public QuerySource(QueryRows query) {
        this.query = query;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SplitEnumerator<QuerySplit, List<QuerySplit>> createEnumerator(SplitEnumeratorContext<QuerySplit> context) {
        return new QuerySplitEnumerator(context, List.of(QuerySplit.ONLY));
    }

    @Override
    public SplitEnumerator<QuerySplit, List<QuerySplit>> restoreEnumerator(SplitEnumeratorContext<QuerySplit> context,
                                                                           List<QuerySplit> unassigned) {
        return new QuerySplitEnumerator(context, unassigned);
    }

    @Override
    public SimpleVersionedSerializer<QuerySplit> getSplitSerializer() {
        return QuerySplit.Serializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<List<QuerySplit>> getEnumeratorCheckpointSerializer() {
        return QuerySplitEnumerator.StateSerializer.INSTANCE;
    }

    @Override
    public SourceReader<ChangeEvent, QuerySplit> createReader(SourceReaderContext context) {
        return new Reader(query, context);
    }

    private static final class Reader extends SingleThreadMultiplexSourceReaderBase<ChangeEvent, ChangeEvent, QuerySplit, QuerySplit> {
        Reader(QueryRows query, SourceReaderContext context) {
            super(() -> new QueryResultReader(query, BATCH_SIZE),
                    (ChangeEvent event, SourceOutput<ChangeEvent> output, QuerySplit split) -> output.collect(event),
                    context.getConfiguration(), context);
        }

        @Override
        public void start() {
            if (getNumberOfCurrentlyAssignedSplits() == 0) {
                context.sendSplitRequest();
            }
        }

        @Override
        protected void onSplitFinished(Map<String, QuerySplit> finished) {
            // Asks again, to be told there are no more splits, which ends this reader.
            context.sendSplitRequest();
        }

        @Override
        protected QuerySplit initializedState(QuerySplit split) {
            return split;
        }

        @Override
        protected QuerySplit toSplitType(String splitId, QuerySplit state) {
            return state;
        }
    }
}
