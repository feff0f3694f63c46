package io.tapflow.flink.source.mysql;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.source.ChangeStreamStartReader;
import io.tapflow.flink.source.mysql.snapshot.BinlogPosition;
import io.tapflow.flink.source.mysql.snapshot.SnapshotReaderStarted;
import io.tapflow.flink.source.mysql.snapshot.StreamSchemasFormat;
import io.tapflow.flink.source.mysql.snapshot.StreamStart;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.cdc.connectors.mysql.source.MySqlSource;
import org.apache.flink.cdc.connectors.mysql.source.assigners.state.BinlogPendingSplitsState;
import org.apache.flink.cdc.connectors.mysql.source.assigners.state.PendingSplitsState;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flink CDC's binlog source, starting where the snapshot recorded, with that position kept in its own checkpointed
 * enumerator state. Flink's HybridSource hands the snapshot's enumerator (and so the position) to the binlog source
 * only when it switches while running. A job restored from a checkpoint taken after the switch but before the binlog
 * split reached a reader (the switch and the assignment take a second or more) has to create the split again; without
 * the kept position it could only start at the earliest retained binlog and replay the server's whole history, which
 * took minutes on a server with history and put old values back into the target until the replay caught up.
 *
 * <p>The state also keeps the table schemas at the start position ({@link SchemasAtStreamStart}); the binlog split
 * Flink CDC's enumerator assigns gets them ({@link SeededBinlogSplits}), so rows written before a DDL made between the
 * snapshot's start and the stream's are decoded with the columns they were written with.
 */
final class MySqlBinlogSource implements Source<ChangeEvent, MySqlSplit, MySqlBinlogSource.EnumeratorState> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MySqlBinlogSource.class);

    private final CdcSources sources;
    private final BinlogPosition start;
    private final Map<String, String> schemas;

    /** Builds Flink CDC's source for a start position (null: the earliest binlog). */
    interface CdcSources extends Serializable {
        MySqlSource<ChangeEvent> startingAt(BinlogPosition start);

        /** Names the datasource and its server, for messages. */
        String describe();
    }

    /**
     * The enumerator's state: the start position and the table schemas there (each null when unknown), and Flink CDC's
     * own enumerator state.
     */
    record EnumeratorState(BinlogPosition start, Map<String, String> schemas, PendingSplitsState cdc) {}

    /**
     * @param start   where the snapshot began; null when HybridSource restores after the switch (the state has it)
     * @param schemas the table schemas at {@code start} (see {@link StreamStart}); null when unknown
     */
    MySqlBinlogSource(CdcSources sources, BinlogPosition start, Map<String, String> schemas) {
        this.sources = sources;
        this.start = start;
        this.schemas = schemas;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<MySqlSplit, EnumeratorState> createEnumerator(SplitEnumeratorContext<MySqlSplit> context) {
        return new Enumerator(start, schemas, sources.startingAt(start).createEnumerator(seeded(context, start, schemas)),
                sources.describe());
    }

    @Override
    public SplitEnumerator<MySqlSplit, EnumeratorState> restoreEnumerator(SplitEnumeratorContext<MySqlSplit> context,
                                                                          EnumeratorState state) {
        // A checkpoint taken before this class existed holds no position: the earliest binlog, as then.
        BinlogPosition known = state.start() != null ? state.start() : start;
        Map<String, String> knownSchemas = state.schemas() != null ? state.schemas() : schemas;
        // A split already assigned keeps its schemas in its reader's state; only one made anew needs them.
        boolean assigned = state.cdc() instanceof BinlogPendingSplitsState binlog && binlog.isBinlogSplitAssigned();
        return new Enumerator(known, knownSchemas, sources.startingAt(known).restoreEnumerator(
                seeded(context, assigned ? null : known, knownSchemas), state.cdc()), sources.describe());
    }

    /**
     * The context for Flink CDC's enumerator: its binlog split gets the schemas at its start position when they are
     * known; when not, a split starting at {@code position} (null: no split to make) is read with today's schemas.
     */
    private SplitEnumeratorContext<MySqlSplit> seeded(SplitEnumeratorContext<MySqlSplit> context, BinlogPosition position,
                                                      Map<String, String> schemasThere) {
        if (schemasThere != null) {
            return new SeededBinlogSplits(context, schemasThere);
        }
        if (position != null) {
            LOG.warn("{} starts at binlog {}:{} without the table schemas of that position (the snapshot began under an "
                    + "earlier tapflow): rows are decoded with each table's schema as it is now, so rows written before "
                    + "DDL made since that position are not read reliably", sources.describe(), position.file(),
                    position.position());
        }
        return context;
    }

    @Override
    public SimpleVersionedSerializer<MySqlSplit> getSplitSerializer() {
        return sources.startingAt(start).getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<EnumeratorState> getEnumeratorCheckpointSerializer() {
        return new StateSerializer(sources.startingAt(start).getEnumeratorCheckpointSerializer());
    }

    @Override
    public SourceReader<ChangeEvent, MySqlSplit> createReader(SourceReaderContext context) throws Exception {
        // A reader continues from the position in its split; the start option only matters to new splits.
        return new ChangeStreamStartReader<>(new PurgedBinlogReader(sources.startingAt(start).createReader(context),
                sources.describe()), split -> ((MySqlSplit) split).isBinlogSplit());
    }

    /**
     * Flink CDC's enumerator, with the start position added to its checkpoints.
     *
     * <p>It also ends a state Flink's HybridSource cannot leave by itself. When a task fails after the hand-over but
     * before a checkpoint taken after it, Flink restores the readers from the earlier checkpoint (snapshot phase) and
     * keeps this switched enumerator: the restored snapshot readers' split requests reach this enumerator, which would
     * hand them the binlog split, and every restart ended in HybridSource's "Split ... while current source is 0". A
     * snapshot reader announces itself first ({@link SnapshotReaderStarted}); on that, this enumerator fails, which Flink
     * answers with a global failover that restores the enumerator from the same checkpoint as the readers.
     */
    private static final class Enumerator implements SplitEnumerator<MySqlSplit, EnumeratorState> {
        private final BinlogPosition startPosition;
        private final Map<String, String> schemas;
        private final SplitEnumerator<MySqlSplit, PendingSplitsState> cdc;
        private final String source;
        /** A snapshot reader started after the hand-over: the global failover is coming; no reader gets a split. */
        private boolean readersBehind;

        Enumerator(BinlogPosition startPosition, Map<String, String> schemas,
                   SplitEnumerator<MySqlSplit, PendingSplitsState> cdc, String source) {
            this.startPosition = startPosition;
            this.schemas = schemas;
            this.cdc = cdc;
            this.source = source;
        }

        @Override
        public void start() {
            cdc.start();
        }

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {
            if (!readersBehind) {
                cdc.handleSplitRequest(subtaskId, requesterHostname);
            }
        }

        @Override
        public void addSplitsBack(List<MySqlSplit> splits, int subtaskId) {
            cdc.addSplitsBack(splits, subtaskId);
        }

        @Override
        public void addReader(int subtaskId) {
            cdc.addReader(subtaskId);
        }

        @Override
        public EnumeratorState snapshotState(long checkpointId) throws Exception {
            // Readers and enumerator are in different phases until the global failover: no checkpoint may keep that.
            if (readersBehind) {
                throw new IllegalStateException("no checkpoint while the readers of " + source + " are behind the hand-over");
            }
            return new EnumeratorState(startPosition, schemas, cdc.snapshotState(checkpointId));
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            cdc.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) throws Exception {
            cdc.notifyCheckpointAborted(checkpointId);
        }

        @Override
        public void handleSourceEvent(int subtaskId, SourceEvent sourceEvent) {
            if (sourceEvent instanceof SnapshotReaderStarted) {
                if (readersBehind) {
                    return; // the global failover is already asked for
                }
                readersBehind = true;
                String why = "reader " + subtaskId + " of " + source + " restarted in the snapshot phase after the hand-over "
                        + "to the binlog (a failure before the first checkpoint after it): restarting the whole job from its "
                        + "last checkpoint";
                LOG.warn(why);
                throw new IllegalStateException(why);
            }
            cdc.handleSourceEvent(subtaskId, sourceEvent);
        }

        @Override
        public void close() throws IOException {
            cdc.close();
        }
    }

    /**
     * Writes the start position and the table schemas there before Flink CDC's state. Its versions lie above any of
     * Flink CDC's own: a checkpoint taken before this class existed holds Flink CDC's state alone, under Flink CDC's
     * version, and still restores; one of version {@value #WITHOUT_SCHEMAS} restores without schemas.
     */
    static final class StateSerializer implements SimpleVersionedSerializer<EnumeratorState> {
        static final int WITHOUT_SCHEMAS = 1_000_001;
        static final int VERSION = 1_000_002;
        private final SimpleVersionedSerializer<PendingSplitsState> cdc;

        StateSerializer(SimpleVersionedSerializer<PendingSplitsState> cdc) {
            this.cdc = cdc;
        }

        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(EnumeratorState state) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64);
            out.writeBoolean(state.start() != null);
            if (state.start() != null) {
                out.writeUTF(state.start().file());
                out.writeLong(state.start().position());
            }
            StreamSchemasFormat.write(state.schemas(), out);
            out.writeInt(cdc.getVersion());
            byte[] cdcState = cdc.serialize(state.cdc());
            out.writeInt(cdcState.length);
            out.write(cdcState);
            return out.getCopyOfBuffer();
        }

        @Override
        public EnumeratorState deserialize(int version, byte[] serialized) throws IOException {
            if (version != VERSION && version != WITHOUT_SCHEMAS) {
                return new EnumeratorState(null, null, cdc.deserialize(version, serialized));
            }
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            BinlogPosition start = in.readBoolean() ? new BinlogPosition(in.readUTF(), in.readLong()) : null;
            Map<String, String> schemas = version == VERSION ? StreamSchemasFormat.read(in) : null;
            int cdcVersion = in.readInt();
            byte[] cdcState = new byte[in.readInt()];
            in.readFully(cdcState);
            return new EnumeratorState(start, schemas, cdc.deserialize(cdcVersion, cdcState));
        }
    }
}
