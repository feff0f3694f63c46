package io.tapflow.flink.source.mysql;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.connector.SourceTables;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.source.ChangeEventDeserializer;
import java.time.ZoneId;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.cdc.connectors.mysql.source.MySqlSource;
import org.apache.flink.cdc.connectors.mysql.table.StartupOptions;
import io.tapflow.flink.source.mysql.snapshot.BinlogPosition;
import io.tapflow.flink.source.mysql.snapshot.MySqlSnapshotSource;
import io.tapflow.flink.source.mysql.snapshot.SnapshotSplitEnumerator;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.source.hybrid.HybridSource;

/**
 * Builds the source of a MySQL/MariaDB datasource: tapflow's own parallel snapshot ({@link MySqlSnapshotSource}),
 * then Flink CDC's binlog reader from the position the snapshot recorded before it read the first row, knowing the
 * table schemas at that position (so DDL made in between is applied in order as the binlog brings it). Flink's
 * {@link HybridSource} switches from one to the other once every snapshot reader is done, and checkpoints either phase.
 */
public final class MySqlCdcSourceFactory {
    private MySqlCdcSourceFactory() {}

    /**
     * @param ds          the datasource with env references resolved
     * @param inspected   schemas of the tables to read, from {@link MySqlSourceInspector}, and the patterns of tables
     *                    created later that the binlog reader captures too
     * @param keyOverride the pipeline's key fields, used for tables without a primary key
     * @param parallelism snapshot readers; the binlog is read by one of them
     */
    public static Source<ChangeEvent, ?, ?> create(DataSource ds, SourceTables inspected, List<String> keyOverride,
                                                   int parallelism) {
        List<TableSchema> tables = inspected.tables();
        BinlogAfterSnapshot binlog = new BinlogAfterSnapshot(ds, tables, inspected.captured(ds.get("database")),
                inspected.serverTimeZone(), serverIds(ds, parallelism));
        MySqlSnapshotSource snapshot = new MySqlSnapshotSource(ds, tables, keyOverride, ds.getInt("snapshot.chunk-size"),
                ds.getInt("snapshot.fetch-size"), new SchemasAtStreamStart(binlog, ds.name()));
        return HybridSource.<ChangeEvent, SnapshotSplitEnumerator>builder(snapshot)
                .addSource(binlog, Boundedness.CONTINUOUS_UNBOUNDED)
                .build();
    }

    /** Creates the binlog source when the snapshot is done, starting where the snapshot's enumerator says. */
    private record BinlogAfterSnapshot(DataSource ds, List<TableSchema> tables, List<String> captured, ZoneId serverTimeZone,
                                       String serverIds)
            implements HybridSource.SourceFactory<ChangeEvent, MySqlBinlogSource, SnapshotSplitEnumerator>,
            MySqlBinlogSource.CdcSources {
        private static final long serialVersionUID = 1L;

        @Override
        public MySqlBinlogSource create(HybridSource.SourceSwitchContext<SnapshotSplitEnumerator> context) {
            SnapshotSplitEnumerator snapshot = context.getPreviousEnumerator();
            // No previous enumerator means Flink is restoring a checkpoint taken after the switch: the binlog source's
            // restored state then says where to start (MySqlBinlogSource).
            return snapshot == null ? new MySqlBinlogSource(this, null, null)
                    : new MySqlBinlogSource(this, snapshot.streamingStart(), snapshot.streamSchemas());
        }

        @Override
        public String describe() {
            return "the binlog of datasource '" + ds.name() + "' (" + ds.get("host") + ":" + ds.get("port") + ")";
        }

        @Override
        public MySqlSource<ChangeEvent> startingAt(BinlogPosition start) {
            // Without a position the earliest retained binlog is the start that loses nothing (replays are harmless
            // to keyed writes); only a checkpoint from before positions were kept needs it.
            StartupOptions startup = start == null ? StartupOptions.earliest()
                    : StartupOptions.specificOffset(start.file(), start.position());
            return MySqlSource.<ChangeEvent>builder()
                    .hostname(ds.get("host"))
                    .port(ds.getInt("port"))
                    .username(ds.get("username"))
                    .password(ds.get("password") == null ? "" : ds.get("password"))
                    .databaseList(ds.get("database"))
                    .tableList(captured.toArray(String[]::new))
                    .serverId(serverIds)
                    .serverTimeZone(serverTimeZone.getId())
                    .startupOptions(startup)
                    // Readers without the change-stream split stay open, idle: a finished subtask would stop every checkpoint,
                    // because the schema-change follower chained to the source keeps union list state.
                    .closeIdleReaders(false)
                    // Schema-change records reach the deserializer, which turns a DROP TABLE into a table event.
                    .includeSchemaChanges(true)
                    .deserializer(deserializer(ds, tables))
                    .debeziumProperties(debeziumProperties(ds))
                    .build();
        }
    }

    /** Change records as events; suspect values are read back from the datasource (env references resolved). */
    private static ChangeEventDeserializer deserializer(DataSource ds, List<TableSchema> tables) {
        BinlogReadBack readBack = new BinlogReadBack(ds, tables);
        return ChangeEventDeserializer.forMySql(!readBack.zeroDates().writesNull(), readBack);
    }

    private static Properties debeziumProperties(DataSource ds) {
        Properties p = new Properties();
        // Exact numbers: DECIMAL and BIGINT UNSIGNED as BigDecimal, never double or base64.
        p.setProperty("decimal.handling.mode", "precise");
        p.setProperty("bigint.unsigned.handling.mode", "precise");
        p.setProperty("binary.handling.mode", "bytes");
        p.setProperty("time.precision.mode", "adaptive_time_microseconds");
        // FLOAT(M,D) arrives as a double (JDBC's FLOAT is double precision); marked with its source type, the converter
        // makes it the float it is, as the snapshot reads it (else MongoDB got 32.099998474121094 for 32.1).
        p.setProperty("datatype.propagate.source.type", "(?i)(.+\\.)?FLOAT( UNSIGNED)?( ZEROFILL)?");
        // Debezium's default 500 ms poll wait puts a floor under latency and slows the snapshot (see ENVIRONMENT.md).
        p.setProperty("poll.interval.ms", ds.get("poll-interval-ms"));
        p.setProperty("max.batch.size", "8192");
        p.setProperty("max.queue.size", "32768");
        // The binlog client notices a lost connection (a source restart) on its keep-alive check: Debezium's default
        // of one minute left a pipeline idle for up to two after a restart of a few seconds (FaultSuiteITCase).
        p.setProperty("connect.keep.alive.interval.ms", "5000");
        return p;
    }

    /** One binlog client id per reader; the id must not clash with other replicas of the server. */
    private static String serverIds(DataSource ds, int parallelism) {
        String configured = ds.get("server-id");
        if (configured != null) {
            return configured;
        }
        int start = 5400 + ThreadLocalRandom.current().nextInt(0, 100_000);
        return start + "-" + (start + parallelism - 1);
    }
}
