package io.tapflow.flink.sink.jdbc;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.SinkOptions;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** Keyed upsert/delete sink for PostgreSQL and MySQL targets. */
public final class JdbcUpsertSink implements Sink<ChangeEvent> {
    private static final long serialVersionUID = 1L;
    private final JdbcDialect dialect;
    private final DataSource ds;
    private final List<TargetTable> tables;
    private final SinkOptions options;

    public JdbcUpsertSink(JdbcDialect dialect, DataSource resolvedDataSource, List<TargetTable> tables, SinkOptions options) {
        this.dialect = dialect;
        this.ds = resolvedDataSource;
        this.tables = List.copyOf(tables);
        this.options = options;
    }

    @Override
    public SinkWriter<ChangeEvent> createWriter(WriterInitContext context) throws IOException {
        return new JdbcUpsertWriter(dialect, ds, tables, options, context.getProcessingTimeService(), context.metricGroup());
    }

    @Override
    @Deprecated
    public SinkWriter<ChangeEvent> createWriter(InitContext context) throws IOException {
        return new JdbcUpsertWriter(dialect, ds, tables, options, context.getProcessingTimeService(), context.metricGroup());
    }
}
