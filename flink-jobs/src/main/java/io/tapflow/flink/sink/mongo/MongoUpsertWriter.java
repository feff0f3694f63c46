package io.tapflow.flink.sink.mongo;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.Secrets;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.BufferedUpsertWriter;
import io.tapflow.flink.sink.RowKey;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.flink.sink.SinkRowErrors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.metrics.MetricGroup;
import org.bson.BsonMaximumSizeExceededException;
import org.bson.Document;

/**
 * Writes batches to MongoDB as one unordered bulk write per collection: replace-with-upsert by {@code _id} and delete
 * by {@code _id}. The {@code _id} is the key value, or a sub-document of the key fields when the key has several.
 */
final class MongoUpsertWriter extends BufferedUpsertWriter {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MongoUpsertWriter.class);
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);
    private final MongoClient client;
    private final MongoDatabase database;
    private final String datasourceName;

    MongoUpsertWriter(DataSource ds, List<TargetTable> tables, SinkOptions options, ProcessingTimeService timeService,
                      MetricGroup metrics, SinkRowErrors rowErrors) {
        super(tables, options, timeService, metrics, rowErrors);
        this.client = MongoClients.create(ds.get("uri"));
        this.database = client.getDatabase(ds.get("database"));
        this.datasourceName = ds.name();
    }

    static Document toDocument(List<String> keyFields, Map<String, Object> row, String table) {
        Document doc = new Document("_id", MongoValues.documentId(keyFields, RowKey.of(keyFields, row, table)));
        row.forEach((k, v) -> doc.append(k, MongoValues.toBson(v)));
        return doc;
    }

    @Override
    protected void alter(TargetTable table, io.tapflow.flink.schema.SchemaChange change) throws IOException {
        try {
            String done = MongoTargets.alter(database, table.name(), change);
            LOG.info("target collection {}: {} made after the rows before it: {}", table.name(), change.describe(),
                    done == null ? "documents need nothing" : done);
        } catch (MongoException e) {
            throw new IOException("target collection " + table.name() + ": " + change.describe() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    protected void truncate(TargetTable table, io.tapflow.flink.schema.TruncateScope scope) throws IOException {
        try {
            database.getCollection(table.name()).deleteMany(MongoTargets.filter(scope));
        } catch (MongoException e) {
            throw new IOException("emptying target collection " + table.name() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    protected void writeBatch(TargetTable table, List<RowKey> deletes, List<Map<String, Object>> upserts,
                              boolean snapshotRowsOnly) throws IOException {
        List<WriteModel<Document>> models = new ArrayList<>(deletes.size() + upserts.size());
        for (RowKey key : deletes) {
            models.add(new DeleteOneModel<>(Filters.eq("_id", MongoValues.documentId(table.keyFields(), key))));
        }
        for (Map<String, Object> row : upserts) {
            Document doc = toDocument(table.keyFields(), row, table.sourceTable());
            models.add(new ReplaceOneModel<>(Filters.eq("_id", doc.get("_id")), doc, UPSERT));
        }
        try {
            database.getCollection(table.name()).bulkWrite(models, UNORDERED);
        } catch (MongoBulkWriteException e) {
            // The documents MongoDB refused, by their reasons (duplicate key, too large, ...): the message the error
            // policy reports when the batch is written again one document at a time.
            String reasons = e.getWriteErrors().stream().map(BulkWriteError::getMessage).distinct()
                    .collect(java.util.stream.Collectors.joining("; "));
            if (reasons.isEmpty()) {
                throw failure(models.size(), table, e);
            }
            throw refused(models.size(), table, Secrets.maskUri(reasons), e);
        } catch (MongoException e) {
            throw failure(models.size(), table, e);
        } catch (BsonMaximumSizeExceededException e) {
            // The driver refuses a document over the server's limit (16 MB) before sending anything: a refusal of that
            // document's data, which the error policy then meets one document at a time.
            throw refused(models.size(), table, "a document is larger than MongoDB's limit (" + e.getMessage() + ")", e);
        }
    }

    /** A refusal of the batch's data, as tapflow's own message (the error policy reports it per document). */
    private IOException refused(int changes, TargetTable table, String reason, Exception cause) {
        TapflowException refused = new TapflowException("writing " + changes + " changes to collection " + table.name()
                + " of datasource '" + datasourceName + "' failed: " + reason);
        refused.addSuppressed(cause);
        return new IOException(refused.getMessage(), refused);
    }

    private IOException failure(int changes, TargetTable table, MongoException e) {
        return new IOException("writing " + changes + " changes to collection " + table.name() + " of datasource '"
                + datasourceName + "' failed: " + Secrets.maskUri(e.getMessage()), e);
    }

    @Override
    public void close() {
        client.close();
    }
}
