package io.tapflow.flink.sink.mongo;

import io.tapflow.flink.sink.ExplicitFlushTime;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.NewTables;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.SinkOptions;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Keyed upsert/delete sink for MongoDB. tapflow has its own writer rather than flink-connector-mongodb's MongoSink
 * because one pipeline may route several source tables to several collections, and because the keyed batching
 * (one write per key per flush) is shared with the JDBC sink.
 */
public final class MongoUpsertSink implements Sink<ChangeEvent> {
    private static final long serialVersionUID = 1L;
    private final DataSource ds;
    private final List<TargetTable> tables;
    private final SinkOptions options;
    private final NewTables newTables;

    /** @param newTables plans collections for tables created while the job runs; null when the pipeline names its tables */
    public MongoUpsertSink(DataSource resolvedDataSource, List<TargetTable> tables, SinkOptions options, NewTables newTables) {
        this.ds = resolvedDataSource;
        this.tables = List.copyOf(tables);
        this.options = options;
        this.newTables = newTables;
    }

    @Override
    public SinkWriter<ChangeEvent> createWriter(WriterInitContext context) {
        return writer(context.getProcessingTimeService(), context.metricGroup());
    }

    @Override
    @Deprecated
    public SinkWriter<ChangeEvent> createWriter(InitContext context) {
        return writer(context.getProcessingTimeService(), context.metricGroup());
    }

    private MongoUpsertWriter writer(ProcessingTimeService time, MetricGroup metrics) {
        MongoUpsertWriter writer = new MongoUpsertWriter(ds, tables, options, time, metrics);
        writer.planNewTablesWith(newTables);
        return writer;
    }

    /** A writer outside a Flink job, flushed by its caller (see {@link io.tapflow.flink.connector.SinkFactory#createWriter}). */
    public static SinkWriter<ChangeEvent> writer(DataSource resolvedDataSource, List<TargetTable> tables) {
        return new MongoUpsertWriter(resolvedDataSource, tables, SinkOptions.DEFAULTS, new ExplicitFlushTime(),
                UnregisteredMetricsGroup.createSinkWriterMetricGroup());
    }
}
