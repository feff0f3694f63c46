package io.tapflow.flink.sink.jdbc;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.SinkContext;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.flink.sink.SinkRowErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    private final SinkContext context;

    /** @param context the pipeline's error policy for refused rows; null (a dead-letter table's sink) fails the job on them */
    public JdbcUpsertSink(JdbcDialect dialect, DataSource resolvedDataSource, List<TargetTable> tables, SinkOptions options,
                          SinkContext context) {
        this.dialect = dialect;
        this.ds = resolvedDataSource;
        this.tables = List.copyOf(tables);
        this.options = options;
        this.context = context;
    }

    @Override
    public SinkWriter<ChangeEvent> createWriter(WriterInitContext init) throws IOException {
        SinkRowErrors errors = SinkRowErrors.of(context, options, init);
        return followingNewTables(new JdbcUpsertWriter(dialect, ds, tables, options, init.getProcessingTimeService(),
                init.metricGroup(), errors));
    }

    @Override
    @Deprecated
    public SinkWriter<ChangeEvent> createWriter(InitContext init) throws IOException {
        SinkRowErrors errors = SinkRowErrors.of(context, options, init);
        return followingNewTables(new JdbcUpsertWriter(dialect, ds, tables, options, init.getProcessingTimeService(),
                init.metricGroup(), errors));
    }

    private JdbcUpsertWriter followingNewTables(JdbcUpsertWriter writer) {
        writer.planNewTablesWith(context == null ? null : context.newTables());
        return writer;
    }
}
