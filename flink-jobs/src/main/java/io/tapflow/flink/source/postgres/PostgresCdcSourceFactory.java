package io.tapflow.flink.source.postgres;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.connector.SourceTables;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.source.ChangeEventDeserializer;
import io.tapflow.flink.source.ChangeStreamStartSource;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.cdc.connectors.base.options.StartupOptions;
import org.apache.flink.cdc.connectors.base.source.meta.split.SourceSplitBase;
import org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder.PostgresIncrementalSource;

/**
 * Builds the source of a PostgreSQL datasource: Flink CDC's incremental source, which reads a lock-free snapshot in
 * chunks and then streams changes, from a position taken before the snapshot, through the pipeline's replication slot
 * with the built-in {@code pgoutput} plugin.
 * The slot and the publication it decodes are named after the pipeline ({@link PostgresReplicationNames}) so that
 * {@code tapflow delete} can drop them; the publication holds just the pipeline's tables ({@code filtered}, which
 * unlike {@code all_tables} does not need a superuser), or, when the pipeline follows tables created while it runs,
 * the whole schema or else the matched tables, to which the job adds new ones ({@link PostgresPublication}, made
 * before the source starts).
 */
public final class PostgresCdcSourceFactory {
    private PostgresCdcSourceFactory() {}

    /**
     * @param ds           the datasource with env references resolved
     * @param inspected    schemas of the tables to read, from {@link PostgresSourceInspector}, and the pattern of
     *                     tables created later that the change stream captures too (then the publication covers the schema)
     * @param keyOverride  the pipeline's key fields; the first splits the snapshot when a table has no primary key
     * @param pipelineName names the replication slot and publication
     */
    public static Source<ChangeEvent, ?, ?> create(DataSource ds, SourceTables inspected, List<String> keyOverride,
                                                   String pipelineName) {
        List<TableSchema> tables = inspected.tables();
        boolean followsNewTables = !inspected.newTablePatterns().isEmpty();
        if (followsNewTables) {
            new PostgresPublication(ds, pipelineName).prepare(tables.stream().map(TableSchema::qualifiedName).toList());
        }
        var builder = PostgresIncrementalSource.<ChangeEvent>builder()
                .hostname(ds.get("host"))
                .port(ds.getInt("port"))
                .database(ds.get("database"))
                .schemaList(ds.get("schema"))
                // The first snapshot reads every table of this list that exists when the job starts.
                .tableList(inspected.captured(ds.get("schema")).toArray(String[]::new))
                .username(ds.get("username"))
                .password(ds.get("password") == null ? "" : ds.get("password"))
                .slotName(PostgresReplicationNames.slotName(pipelineName))
                .decodingPluginName("pgoutput")
                .startupOptions(StartupOptions.initial())
                // No backfill: Flink CDC would otherwise create a replication slot per snapshot chunk and merge the
                // chunk's concurrent changes into it keyed by primary key, which collapses tables without one. The
                // change stream starts before the first chunk instead and replays those changes, which keyed upserts
                // and deletes absorb, as on the MySQL path.
                .skipSnapshotBackfill(true)
                // Readers without the change-stream split stay open, idle: a finished subtask would stop every checkpoint,
                // because the schema-change follower chained to the source keeps union list state.
                .closeIdleReaders(false)
                .deserializer(ChangeEventDeserializer.forPostgres(new PostgresSnapshotCheck(ds, tables), numericColumns(tables)))
                .debeziumProperties(debeziumProperties(pipelineName, followsNewTables, inspected.unreadColumns()));
        // Flink CDC splits by the primary key; a table without one needs a column named, and the pipeline key is
        // a column of every table (the inspector checked). Tables with a key keep splitting by their indexed key.
        if (tables.stream().anyMatch(t -> t.primaryKey().isEmpty())) {
            builder.chunkKeyColumn(keyOverride.get(0));
        }
        // Its readers say when they start reading the change stream (the schema-change follower reads beside it there).
        return new ChangeStreamStartSource<>(builder.build(), split -> ((SourceSplitBase) split).isStreamSplit());
    }

    private static Properties debeziumProperties(String pipelineName, boolean followsNewTables, List<String> unreadColumns) {
        Properties p = new Properties();
        if (!unreadColumns.isEmpty()) {
            // Columns of a type tapflow cannot read, which the pipeline drops first: left out of every row.
            p.setProperty("column.exclude.list", unreadColumns.stream().map(c -> Arrays.stream(c.split("\\.", 3))
                    .map(Pattern::quote).collect(Collectors.joining("\\."))).collect(Collectors.joining(",")));
        }
        p.setProperty("publication.name", PostgresReplicationNames.publicationName(pipelineName));
        // The publication of a pipeline following new tables is tapflow's: "filtered" would set it back to the tables
        // of the change stream's list (a pattern, which may match tables the user does not own) on every restart.
        p.setProperty("publication.autocreate.mode", followsNewTables ? "disabled" : "filtered");
        // TRUNCATE arrives as a change record of operation t, which the job reports (Debezium skips it otherwise).
        p.setProperty("skipped.operations", "none");
        p.setProperty("truncate.handling.mode", "include");
        // Exact numbers, and NaN kept visible: numeric arrives as its text (precise mode would turn NaN into NULL),
        // marked by its source type so the converter knows to read it as a BigDecimal.
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("column.propagate.source.type", ".*");
        p.setProperty("binary.handling.mode", "bytes");
        // Types Debezium has no schema for (tsvector) would be left out of the row; with this they arrive as the UTF-8
        // bytes of the server's text, from the snapshot and the stream alike. Tables are checked before the job starts,
        // so only types PostgresColumnTypes accepts reach the converter this way.
        p.setProperty("include.unknown.datatypes", "true");
        p.setProperty("time.precision.mode", "adaptive_time_microseconds");
        // Arrays as the server's text (dimensions, lower bounds and NULL elements visible), read by tapflow.
        p.setProperty("converters", "tapflowarrays");
        p.setProperty("tapflowarrays.type", PostgresArrayColumns.class.getName());
        // The snapshot's JDBC driver reads values as text: in binary form (its choice for statements run often) an
        // array's text would be rebuilt from its elements, without its lower bounds.
        p.setProperty("database.binaryTransfer", "false");
        // An interval as ISO 8601 text with each part's own sign: the numeric default counts a month as 30.4375 days.
        p.setProperty("interval.handling.mode", "string");
        // Debezium's default 500 ms poll wait puts a floor under latency (see ENVIRONMENT.md, pitfall 8).
        p.setProperty("poll.interval.ms", "50");
        return p;
    }

    /** "schema.table.column" of every numeric column (decimal here), domains over numeric included. */
    private static Set<String> numericColumns(List<TableSchema> tables) {
        return tables.stream().flatMap(t -> t.columns().stream().filter(c -> c.dataType().equals("decimal"))
                .map(c -> t.qualifiedName() + "." + c.name())).collect(Collectors.toSet());
    }
}
