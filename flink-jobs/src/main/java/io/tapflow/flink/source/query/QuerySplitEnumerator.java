package io.tapflow.flink.source.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Hands the one split of a query to the first reader that asks; every other request is told there is no more. */
final class QuerySplitEnumerator implements SplitEnumerator<QuerySplit, List<QuerySplit>> {
    private final SplitEnumeratorContext<QuerySplit> context;
    private final List<QuerySplit> unassigned;

    QuerySplitEnumerator(SplitEnumeratorContext<QuerySplit> context, List<QuerySplit> unassigned) {
        this.context = context;
        this.unassigned = new ArrayList<>(unassigned);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        if (unassigned.isEmpty()) {
            context.signalNoMoreSplits(subtaskId);
        } else {
            context.assignSplit(unassigned.remove(0), subtaskId);
        }
    }

    @Override
    public void addSplitsBack(List<QuerySplit> splits, int subtaskId) {
        unassigned.addAll(splits);
    }

    @Override
    public void addReader(int subtaskId) {}

    @Override
    public List<QuerySplit> snapshotState(long checkpointId) {
        return List.copyOf(unassigned);
    }

    @Override
    public void close() {}

    /** The enumerator's state: whether the split is still to be handed out. */
    static final class StateSerializer implements SimpleVersionedSerializer<List<QuerySplit>> {
        static final StateSerializer INSTANCE = new StateSerializer();

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(List<QuerySplit> splits) {
            return new byte[] {(byte) splits.size()};
        }

        @Override
        public List<QuerySplit> deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1 || serialized.length != 1) {
                throw new IOException("query enumerator state of version " + version + " cannot be read by this tapflow (it reads 1)");
            }
            return serialized[0] == 0 ? List.of() : List.of(QuerySplit.ONLY);
        }
    }
}
