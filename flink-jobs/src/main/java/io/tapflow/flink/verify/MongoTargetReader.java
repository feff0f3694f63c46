package io.tapflow.flink.verify;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.Secrets;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.RowKey;
import io.tapflow.flink.sink.mongo.MongoValues;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;

/**
 * Reads MongoDB collections in {@code _id} order (the key, or a sub-document of the key fields in key order, which
 * MongoDB compares field by field). Values the sink wrote are compared in their BSON form ({@link MongoValues}):
 * dates in milliseconds, TIME as text, decimals as Decimal128.
 */
final class MongoTargetReader implements TargetReader {
    private final DataSource ds;
    private final MongoClient client;
    private final MongoDatabase database;

    MongoTargetReader(DataSource resolvedDataSource) {
        this.ds = resolvedDataSource;
        this.client = MongoClients.create(resolvedDataSource.get("uri"));
        this.database = client.getDatabase(resolvedDataSource.get("database"));
    }

    @Override
    public RowCursor rows(TargetTable table) {
        MongoCursor<Document> cursor = call(() -> database.getCollection(table.name()).find().sort(Sorts.ascending("_id"))
                .batchSize(2_000).iterator());
        return new RowCursor() {
            @Override
            public Map<String, Object> next() {
                return call(() -> cursor.hasNext() ? fields(cursor.next()) : null);
            }

            @Override
            public void close() {
                cursor.close();
            }
        };
    }

    @Override
    public Map<String, Object> row(TargetTable table, RowKey key) {
        Document doc = call(() -> database.getCollection(table.name())
                .find(Filters.eq("_id", MongoValues.documentId(table.keyFields(), key))).first());
        return doc == null ? null : fields(doc);
    }

    @Override
    public long count(TargetTable table) {
        return call(() -> database.getCollection(table.name()).countDocuments());
    }

    @Override
    public Object stored(TargetTable table, String column, Object value) {
        return fromBson(MongoValues.toBson(value));
    }

    /** MongoDB keeps JSON text as a string, exactly as written. */
    @Override
    public boolean isJson(TargetTable table, String column) {
        return false;
    }

    private static Map<String, Object> fields(Document doc) {
        Map<String, Object> row = new LinkedHashMap<>();
        doc.forEach((k, v) -> {
            if (!k.equals("_id")) {
                row.put(k, fromBson(v));
            }
        });
        return row;
    }

    /** BSON values as the comparison sees them: dates as instants, Decimal128 as BigDecimal, binary as bytes. */
    private static Object fromBson(Object v) {
        if (v instanceof Date d) {
            return d.toInstant();
        }
        if (v instanceof Decimal128 d && d.isFinite()) {
            return d.bigDecimalValue();
        }
        if (v instanceof Binary b) {
            return b.getData();
        }
        return v;
    }

    private <T> T call(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (MongoException e) {
            throw new TapflowException("datasource '" + ds.name() + "' (mongodb at " + Secrets.maskUri(ds.get("uri")) + "): "
                    + Secrets.maskUri(e.getMessage()), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
