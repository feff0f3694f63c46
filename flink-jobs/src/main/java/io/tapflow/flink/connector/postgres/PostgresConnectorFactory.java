package io.tapflow.flink.connector.postgres;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.connector.SinkFactory;
import io.tapflow.flink.connector.SourceFactory;
import io.tapflow.flink.connector.SourceTables;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.SinkContext;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.flink.sink.jdbc.JdbcTargets;
import io.tapflow.flink.sink.jdbc.PostgresDialect;
import io.tapflow.flink.source.postgres.PostgresCdcSourceFactory;
import io.tapflow.flink.source.postgres.PostgresQuery;
import io.tapflow.flink.source.postgres.PostgresReplicationRelease;
import io.tapflow.flink.source.postgres.PostgresSourceInspector;
import java.time.Duration;
import java.time.ZoneOffset;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.source.Source;

/** PostgreSQL: a CDC source (Flink CDC, snapshot then logical replication) and a JDBC upsert target. */
public final class PostgresConnectorFactory implements SourceFactory, SinkFactory {
    private static final JdbcTargets TARGETS = new JdbcTargets(new PostgresDialect());
    /** How long a slot may stay in use after its job was cancelled: the reader needs a moment to disconnect. */
    private static final Duration SLOT_RELEASE_WAIT = Duration.ofSeconds(30);

    @Override
    public String identifier() {
        return "postgres";
    }

    @Override
    public List<String> listTables(DataSource ds) {
        return TARGETS.listTables(ds);
    }

    @Override
    public SourceTables inspect(DataSource ds, List<String> tables, List<String> keyOverride) {
        // timestamptz arrives as an instant and timestamp as a wall-clock value: no server zone is involved.
        return new SourceTables(new PostgresSourceInspector(ds).inspect(tables, keyOverride), ZoneOffset.UTC);
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
        return PostgresCdcSourceFactory.create(ds, tables.tables(), keyOverride, pipelineName);
    }

    @Override
    public List<String> release(DataSource ds, String pipelineName) {
        return new PostgresReplicationRelease(ds, SLOT_RELEASE_WAIT).release(pipelineName);
    }

    @Override
    public List<String> prepare(DataSource ds, List<TargetTable> tables) {
        return TARGETS.prepare(ds, tables);
    }

    @Override
    public SinkWriter<ChangeEvent> createWriter(DataSource ds, List<TargetTable> tables) throws IOException {
        return TARGETS.createWriter(ds, tables);
    }

    @Override
    public Sink<ChangeEvent> createSink(DataSource ds, List<TargetTable> tables, SinkOptions options) {
        return TARGETS.createSink(ds, tables, options);
    }

    @Override
    public Sink<ChangeEvent> createSink(DataSource ds, List<TargetTable> tables, SinkOptions options, SinkContext context) {
        return TARGETS.createSink(ds, tables, options, context);
    }
}
