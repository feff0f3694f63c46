package io.tapflow.flink.sink.elasticsearch;

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
 * Keyed index/update/delete sink for Elasticsearch 7.x over the low-level REST client. Not flink-connector-elasticsearch7:
 * its writer needs the high-level client (the whole Elasticsearch server jar with Lucene, tens of MB in the job jar),
 * fails the job on any refused item where tapflow must route that row through the pipeline's error policy, and would
 * not share the per-key batching (one change per key per flush) that keeps retried items in order.
 */
public final class ElasticsearchSink implements Sink<ChangeEvent> {
    private static final long serialVersionUID = 1L;
    private final ElasticsearchOptions options;
    private final List<TargetTable> tables;
    private final SinkOptions sinkOptions;
    private final SinkContext context;

    public ElasticsearchSink(ElasticsearchOptions options, List<TargetTable> tables, SinkOptions sinkOptions,
                             SinkContext context) {
        this.options = options;
        this.tables = List.copyOf(tables);
        this.sinkOptions = sinkOptions;
        this.context = context;
    }

    @Override
    public SinkWriter<ChangeEvent> createWriter(WriterInitContext init) {
        SinkRowErrors errors = SinkRowErrors.of(context, sinkOptions, init);
        ElasticsearchBulkWriter writer = new ElasticsearchBulkWriter(options, tables, sinkOptions,
                init.getProcessingTimeService(), init.metricGroup(), errors);
        writer.planNewTablesWith(context.newTables());
        return writer;
    }

    @Override
    @Deprecated
    public SinkWriter<ChangeEvent> createWriter(InitContext init) {
        SinkRowErrors errors = SinkRowErrors.of(context, sinkOptions, init);
        ElasticsearchBulkWriter writer = new ElasticsearchBulkWriter(options, tables, sinkOptions,
                init.getProcessingTimeService(), init.metricGroup(), errors);
        writer.planNewTablesWith(context.newTables());
        return writer;
    }
}
