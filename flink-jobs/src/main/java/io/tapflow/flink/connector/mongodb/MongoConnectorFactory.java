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

    /**
     * MongoUpsertWriter is a BufferedUpsertWriter: Flink flushes it before each checkpoint barrier, and its flush
     * returns once the bulk writes are acknowledged (the driver's default write concern; a URI with {@code w=0} would
     * break this, as it breaks every guarantee of the sink). So on the snapshot rows' forward path every snapshot row
     * is in the collection before the change stream starts, and a change to a key cannot be overwritten by that key's
     * snapshot row.
     */
    @Override
    public boolean writesAllOnCheckpoint() {
        return true;
    }

    @Override
    public String emptyTable(DataSource ds, String table, io.tapflow.flink.schema.TruncateScope scope) {
        return MongoTargets.emptyCollection(ds, table, scope);
    }

    /**
     * Documents take a new shape as they are written; a dropped or renamed column's field leaves or is renamed in the
     * documents written before, and an added column's constant DEFAULT is set in them, after the rows before the
     * change ({@link MongoTargets#alter}).
     */
    @Override
    public boolean altersInOrder() {
        return true;
    }

    @Override
    public boolean altersInOrder(io.tapflow.flink.schema.SchemaChange change) {
        return io.tapflow.flink.schema.TargetSchemaChanges.inOrder(change)
                || change instanceof io.tapflow.flink.schema.SchemaChange.AddColumn add && add.defaultValue() != null;
    }

    @Override
    public String applySchemaChange(DataSource ds, String table, io.tapflow.flink.schema.SchemaChange change) {
        return MongoTargets.withDatabase(ds, db -> MongoTargets.alter(db, table, change));
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
