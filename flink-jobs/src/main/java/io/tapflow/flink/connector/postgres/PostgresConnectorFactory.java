package io.tapflow.flink.connector.postgres;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TablePattern;
import io.tapflow.flink.connector.JdbcSinkFactory;
import io.tapflow.flink.connector.SourceCatalog;
import io.tapflow.flink.connector.SourceFactory;
import io.tapflow.flink.connector.SourceTables;
import io.tapflow.flink.schema.DroppedColumns;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.sink.jdbc.JdbcTargets;
import io.tapflow.flink.sink.jdbc.PostgresDialect;
import io.tapflow.flink.source.postgres.PostgresCdcSourceFactory;
import io.tapflow.flink.source.postgres.PostgresPublication;
import io.tapflow.flink.source.postgres.PostgresQuery;
import io.tapflow.flink.source.postgres.PostgresReplicationRelease;
import io.tapflow.flink.source.postgres.PostgresSourceInspector;
import io.tapflow.flink.source.postgres.PostgresTableCatalog;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.flink.api.connector.source.Source;

/** PostgreSQL: a CDC source (Flink CDC, snapshot then logical replication) and a JDBC upsert target. */
public final class PostgresConnectorFactory implements SourceFactory, JdbcSinkFactory {
    private static final JdbcTargets TARGETS = new JdbcTargets(new PostgresDialect());
    /** How long a slot may stay in use after its job was cancelled: the reader needs a moment to disconnect. */
    private static final Duration SLOT_RELEASE_WAIT = Duration.ofSeconds(30);

    @Override
    public JdbcTargets targets() {
        return TARGETS;
    }

    @Override
    public String identifier() {
        return "postgres";
    }

    @Override
    public List<String> listTables(DataSource ds) {
        return TARGETS.listTables(ds);
    }

    /** PostgreSQL tables are named {@code schema.table}, in the datasource's schema. */
    @Override
    public String namespace(DataSource ds) {
        return ds.get("schema");
    }

    @Override
    public SourceTables inspect(DataSource ds, List<String> tables, List<String> keyOverride) {
        return inspect(ds, tables, keyOverride, DroppedColumns.of(List.of()));
    }

    @Override
    public SourceTables inspect(DataSource ds, List<String> tables, List<String> keyOverride, DroppedColumns dropped) {
        PostgresSourceInspector inspector = new PostgresSourceInspector(ds, dropped);
        // timestamptz arrives as an instant and timestamp as a wall-clock value: no server zone is involved.
        return new SourceTables(inspector.inspect(tables, keyOverride), ZoneOffset.UTC, inspector.unreadColumns());
    }

    /**
     * The change stream takes every table the patterns select, exclusions included, as one regular expression. New
     * tables are in the pipeline's publication from their creation when it covers the schema; otherwise the running
     * job adds them to it as it finds them, where the user may (see {@link PostgresPublication}), which the limit says.
     */
    @Override
    public SourceTables followingNewTables(DataSource ds, SourceTables inspected, List<String> include,
                                           List<String> exclude, String pipelineName) {
        return inspected.capturingNew(List.of(TablePattern.qualifiedSelection(include, exclude, namespace(ds))),
                new PostgresPublication(ds, pipelineName).coverageProblem());
    }

    /** pgoutput sends no DROP TABLE, and a publication listing tables none created later: the job polls the catalog. */
    @Override
    public SourceCatalog catalog(DataSource ds, String pipelineName) {
        return new PostgresTableCatalog(ds, pipelineName);
    }

    @Override
    public TableSchema inspectQuery(DataSource ds, String name, String select, List<String> keyOverride) {
        return PostgresQuery.inspect(ds, name, select, keyOverride);
    }

    @Override
    public Source<ChangeEvent, ?, ?> createQuerySource(DataSource ds, TableSchema result, String select) {
        return PostgresQuery.source(ds, result, select);
    }

    @Override
    public Source<ChangeEvent, ?, ?> createSource(DataSource ds, SourceTables tables, List<String> keyOverride,
                                                  String pipelineName, int parallelism) {
        return PostgresCdcSourceFactory.create(ds, tables, keyOverride, pipelineName);
    }

    @Override
    public List<String> release(DataSource ds, String pipelineName) {
        return new PostgresReplicationRelease(ds, SLOT_RELEASE_WAIT).release(pipelineName);
    }

    @Override
    public java.util.Map<String, String> constantDefaults(DataSource ds, String table) {
        try (java.sql.Connection c = io.tapflow.flink.sink.jdbc.JdbcConnections.open(new io.tapflow.flink.sink.jdbc.PostgresDialect(), ds)) {
            return io.tapflow.flink.source.ConstantDefaults.of(c, ds.get("schema"), table);
        } catch (java.sql.SQLException e) {
            throw io.tapflow.flink.sink.jdbc.JdbcConnections.describe(ds, e);
        }
    }

    @Override
    public io.tapflow.flink.source.query.QueryRows tableRows(DataSource ds, TableSchema table) {
        return PostgresQuery.tableRows(ds, table);
    }

    @Override
    public boolean followsSchemaChanges() {
        return true;
    }

    /**
     * At parallelism above 1 Flink CDC's HybridSplitAssigner assigns the stream split only after a checkpoint completes
     * that was taken once every snapshot split was done (SnapshotSplitAssigner#notifyCheckpointComplete, release-3.5.0).
     */
    @Override
    public boolean streamsAfterCheckpointedSnapshot() {
        return true;
    }
}
