package io.tapflow.flink.source.mysql.snapshot;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.source.mysql.MySqlConnections;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The snapshot of MySQL/MariaDB tables as a bounded Flink source: the binlog position (with the table schemas at that
 * position, for the change stream that starts there) is taken first, then the tables are read in splits by parallel
 * readers with plain streaming SELECTs. Rows changed while the snapshot runs are read in whatever state they had; the
 * change stream that starts at the recorded position replays those changes afterwards, and idempotent keyed writes
 * make the target converge to the source (at-least-once, no locks taken).
 */
public final class MySqlSnapshotSource implements Source<ChangeEvent, SnapshotSplit, SnapshotEnumeratorState> {
    private static final long serialVersionUID = 1L;

    private final DataSource ds;
    private final List<TableSchema> tables;
    private final List<String> keyOverride;
    private final int chunkSize;
    private final int batchSize;
    private final StreamStartReader streamStart;

    /**
     * @param keyOverride the pipeline's key fields, used for tables without a primary key
     * @param chunkSize   rows per split of a table cut into ranges
     * @param batchSize   rows per hand-over from a reader's fetch thread to its task
     * @param streamStart reads the position the change stream starts at, and the table schemas there
     */
    public MySqlSnapshotSource(DataSource resolvedDataSource, List<TableSchema> tables, List<String> keyOverride,
                               int chunkSize, int batchSize, StreamStartReader streamStart) {
        this.ds = resolvedDataSource;
        this.tables = List.copyOf(tables);
        this.keyOverride = List.copyOf(keyOverride);
        this.chunkSize = chunkSize;
        this.batchSize = batchSize;
        this.streamStart = streamStart;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SnapshotSplitEnumerator createEnumerator(SplitEnumeratorContext<SnapshotSplit> context) {
        try (Connection c = MySqlConnections.open(ds)) {
            StreamStart start = streamStart.read(c);
            SnapshotSplitPlanner planner = new SnapshotSplitPlanner(chunkSize, context.currentParallelism());
            List<TablePlan> plans = new ArrayList<>();
            for (TableSchema table : tables) {
                plans.add(planner.plan(c, table, keyOverride));
            }
            return new SnapshotSplitEnumerator(context, SnapshotEnumeratorState.initial(plans, start));
        } catch (SQLException e) {
            throw MySqlConnections.describe(ds, e);
        }
    }

    @Override
    public SplitEnumerator<SnapshotSplit, SnapshotEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<SnapshotSplit> context, SnapshotEnumeratorState state) {
        return new SnapshotSplitEnumerator(context, state);
    }

    @Override
    public SimpleVersionedSerializer<SnapshotSplit> getSplitSerializer() {
        return SnapshotSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<SnapshotEnumeratorState> getEnumeratorCheckpointSerializer() {
        return SnapshotEnumeratorStateSerializer.INSTANCE;
    }

    @Override
    public SourceReader<ChangeEvent, SnapshotSplit> createReader(SourceReaderContext context) {
        Map<String, TableSchema> byName = tables.stream()
                .collect(Collectors.toMap(TableSchema::qualifiedName, Function.identity()));
        return new MySqlSnapshotReader(() -> new SnapshotSplitReader(ds, byName, batchSize),
                context.getConfiguration(), context);
    }
}
