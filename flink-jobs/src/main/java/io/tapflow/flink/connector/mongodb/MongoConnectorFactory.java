package io.tapflow.flink.connector.mongodb;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.connector.SinkFactory;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.SinkContext;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.flink.sink.mongo.MongoTargets;
import io.tapflow.flink.sink.mongo.MongoUpsertSink;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

/** MongoDB as a keyed upsert target. */
public final class MongoConnectorFactory implements SinkFactory {

    @Override
    public String identifier() {
        return "mongodb";
    }

    @Override
    public List<String> listTables(DataSource ds) {
        return MongoTargets.listCollections(ds);
    }

    @Override
    public List<String> prepare(DataSource ds, List<TargetTable> tables) {
        return MongoTargets.createMissingCollections(ds, tables);
    }

    @Override
    public boolean appliesTruncate() {
        return true;
    }

    @Override
    public String emptyTable(DataSource ds, String table) {
        return MongoTargets.emptyCollection(ds, table);
    }

    @Override
    public boolean acceptsUnplannedFields() {
        return true;
    }

    @Override
    public SinkWriter<ChangeEvent> createWriter(DataSource ds, List<TargetTable> tables) throws IOException {
        return MongoUpsertSink.writer(ds, tables);
    }

    @Override
    public Sink<ChangeEvent> createSink(DataSource ds, List<TargetTable> tables, SinkOptions options) {
        return new MongoUpsertSink(ds, tables, options, null);
    }

    @Override
    public Sink<ChangeEvent> createSink(DataSource ds, List<TargetTable> tables, SinkOptions options, SinkContext context) {
        return new MongoUpsertSink(ds, tables, options, context);
    }
}
