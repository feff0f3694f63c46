package io.tapflow.flink.sink.mongo;

import io.tapflow.flink.sink.ExplicitFlushTime;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.SinkContext;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.flink.sink.SinkRowErrors;
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
    private final SinkContext context;

    /**
     * @param context the pipeline's error policy and new-table planning; null for a sink outside a pipeline (a
     *                dead-letter target's own writer)
     */
    public MongoUpsertSink(DataSource resolvedDataSource, List<TargetTable> tables, SinkOptions options, SinkContext context) {
        this.ds = resolvedDataSource;
        this.tables = List.copyOf(tables);
        this.options = options;
        this.context = context;
    }

    @Override
    public SinkWriter<ChangeEvent> createWriter(WriterInitContext init) {
        return writer(init.getProcessingTimeService(), init.metricGroup(), SinkRowErrors.of(context, options, init));
    }

    @Override
    @Deprecated
    public SinkWriter<ChangeEvent> createWriter(InitContext init) {
        return writer(init.getProcessingTimeService(), init.metricGroup(), SinkRowErrors.of(context, options, init));
    }

    private MongoUpsertWriter writer(ProcessingTimeService time, MetricGroup metrics, SinkRowErrors rowErrors) {
        MongoUpsertWriter writer = new MongoUpsertWriter(ds, tables, options, time, metrics, rowErrors);
        writer.planNewTablesWith(context == null ? null : context.newTables());
        return writer;
    }

    /** A writer outside a Flink job, flushed by its caller (see {@link io.tapflow.flink.connector.SinkFactory#createWriter}). */
    public static SinkWriter<ChangeEvent> writer(DataSource resolvedDataSource, List<TargetTable> tables) {
        return new MongoUpsertWriter(resolvedDataSource, tables, SinkOptions.DEFAULTS, new ExplicitFlushTime(),
                UnregisteredMetricsGroup.createSinkWriterMetricGroup(), null);
    }
}
