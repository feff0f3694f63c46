package io.tapflow.flink.connector.postgres;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.connector.SinkFactory;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.flink.sink.jdbc.JdbcTargets;
import io.tapflow.flink.sink.jdbc.PostgresDialect;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;

/** PostgreSQL as a JDBC upsert target. */
public final class PostgresConnectorFactory implements SinkFactory {
    private static final JdbcTargets TARGETS = new JdbcTargets(new PostgresDialect());

    @Override
    public String identifier() {
        return "postgres";
    }

    @Override
    public List<String> listTables(DataSource ds) {
        return TARGETS.listTables(ds);
    }

    @Override
    public List<String> prepare(DataSource ds, List<TargetTable> tables) {
        return TARGETS.prepare(ds, tables);
    }

    @Override
    public Sink<ChangeEvent> createSink(DataSource ds, List<TargetTable> tables, SinkOptions options) {
        return TARGETS.createSink(ds, tables, options);
    }
}
