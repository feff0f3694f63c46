package io.tapflow.flink.connector.mysql;

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
import io.tapflow.flink.sink.jdbc.MySqlDialect;
import io.tapflow.flink.source.mysql.MySqlCdcSourceFactory;
import io.tapflow.flink.source.mysql.MySqlQuery;
import io.tapflow.flink.source.mysql.MySqlSourceInspector;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.source.Source;

/** MySQL and MariaDB: a CDC source (Flink CDC, snapshot then binlog) and a JDBC upsert target. */
public final class MySqlConnectorFactory implements SourceFactory, SinkFactory {
    private static final JdbcTargets TARGETS = new JdbcTargets(new MySqlDialect());

    @Override
    public String identifier() {
        return "mysql";
    }

    @Override
    public List<String> listTables(DataSource ds) {
        return new MySqlSourceInspector(ds).listTables();
    }

    @Override
    public SourceTables inspect(DataSource ds, List<String> tables, List<String> keyOverride) {
        MySqlSourceInspector inspector = new MySqlSourceInspector(ds);
        return new SourceTables(inspector.inspect(tables, keyOverride), inspector.serverTimeZone());
    }

    @Override
    public Source<ChangeEvent, ?, ?> createSource(DataSource ds, SourceTables tables, List<String> keyOverride,
                                                  String pipelineName, int parallelism) {
        return MySqlCdcSourceFactory.create(ds, tables.tables(), keyOverride, tables.serverTimeZone(), parallelism);
    }

    @Override
    public TableSchema inspectQuery(DataSource ds, String name, String select, List<String> keyOverride) {
        return MySqlQuery.inspect(ds, name, select, keyOverride);
    }

    @Override
    public Source<ChangeEvent, ?, ?> createQuerySource(DataSource ds, TableSchema result, String select) {
        return MySqlQuery.source(ds, result, select);
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
