package io.tapflow.flink.sink.mongo;

import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.Secrets;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.schema.TargetTable;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Connection checks, listing and collection creation for a MongoDB target, with errors that never show credentials. */
public final class MongoTargets {
    private MongoTargets() {}

    public static List<String> listCollections(DataSource ds) {
        return withDatabase(ds, db -> db.listCollectionNames().into(new ArrayList<>()));
    }

    public static List<String> createMissingCollections(DataSource ds, List<TargetTable> tables) {
        return withDatabase(ds, db -> {
            List<String> existing = db.listCollectionNames().into(new ArrayList<>());
            List<String> created = new ArrayList<>();
            for (TargetTable t : tables) {
                if (!existing.contains(t.name())) {
                    db.createCollection(t.name());
                    created.add(t.name());
                }
            }
            return created;
        });
    }

    /** Deletes every document of a collection; says how many. */
    public static String emptyCollection(DataSource ds, String collection, io.tapflow.flink.schema.TruncateScope scope) {
        org.bson.Document filter = filter(scope);
        long deleted = withDatabase(ds, db -> db.getCollection(collection).deleteMany(filter).getDeletedCount());
        return "deleteMany(" + filter.toJson() + ") on " + collection + ": " + deleted + " documents deleted";
    }

    /**
     * Makes a column change in a collection's documents under the schema-change policy, once the rows before it are
     * written: a dropped column's field leaves every document ({@code $unset}), a renamed one's is renamed
     * ({@code $rename}), an added column with a constant DEFAULT is set in the documents that lack it (as the source's
     * existing rows got it). Says what it did; null where documents need nothing (a new column without a default, a
     * widened type), or the DEFAULT has no exact document form (then the documents that existed keep lacking it).
     */
    public static String alter(MongoDatabase db, String collection, io.tapflow.flink.schema.SchemaChange change) {
        org.bson.Document filter;
        org.bson.Document update;
        if (change instanceof io.tapflow.flink.schema.SchemaChange.DropColumn drop) {
            filter = new org.bson.Document(drop.name(), new org.bson.Document("$exists", true));
            update = new org.bson.Document("$unset", new org.bson.Document(drop.name(), ""));
        } else if (change instanceof io.tapflow.flink.schema.SchemaChange.RenameColumn rename) {
            filter = new org.bson.Document(rename.from(), new org.bson.Document("$exists", true));
            update = new org.bson.Document("$rename", new org.bson.Document(rename.from(), rename.to()));
        } else if (change instanceof io.tapflow.flink.schema.SchemaChange.AddColumn add && add.defaultValue() != null) {
            var value = MongoDefaults.value(add.column(), add.defaultValue());
            if (value.isEmpty()) {
                return null;
            }
            filter = new org.bson.Document(add.column().name(), new org.bson.Document("$exists", false));
            update = new org.bson.Document("$set", new org.bson.Document(add.column().name(), value.get()));
        } else {
            return null;
        }
        long changed = db.getCollection(collection).updateMany(filter, update).getModifiedCount();
        return "updateMany(" + filter.toJson() + ", " + update.toJson() + ") on " + collection + ": " + changed + " documents";
    }

    /** The documents a TRUNCATE deletes: all, or a union's of one source table. */
    static org.bson.Document filter(io.tapflow.flink.schema.TruncateScope scope) {
        return scope.wholeTable() ? new org.bson.Document() : new org.bson.Document(scope.field(), scope.value());
    }

    /** Runs an action on the datasource's database; failures become messages that never show credentials. */
    public static <T> T withDatabase(DataSource ds, Function<MongoDatabase, T> action) {
        String where = "datasource '" + ds.name() + "' (mongodb at " + Secrets.maskUri(ds.get("uri")) + ")";
        com.mongodb.ConnectionString cs;
        try {
            cs = new com.mongodb.ConnectionString(ds.get("uri"));
        } catch (IllegalArgumentException e) {
            throw new TapflowException(where + ": option 'uri' is not a MongoDB connection string: " + Secrets.maskUri(e.getMessage()));
        }
        var settings = com.mongodb.MongoClientSettings.builder().applyConnectionString(cs)
                .applyToClusterSettings(b -> b.serverSelectionTimeout(5, TimeUnit.SECONDS)).build();
        try (MongoClient client = MongoClients.create(settings)) {
            return action.apply(client.getDatabase(ds.get("database")));
        } catch (MongoSecurityException e) {
            throw new TapflowException(where + ": authentication failed: wrong user name or password", e);
        } catch (MongoTimeoutException e) {
            // The driver keeps the cause in the cluster description of its message only.
            if (String.valueOf(e.getMessage()).contains(UnknownHostException.class.getName())) {
                throw new TapflowException(where + ": the host name in " + String.join(", ", cs.getHosts())
                        + " could not be resolved; check the datasource's uri option", e);
            }
            throw new TapflowException(where + ": cannot connect within 5 s; check that the server runs and the uri is right", e);
        } catch (MongoException e) {
            throw new TapflowException(where + ": " + Secrets.maskUri(e.getMessage()), e);
        }
    }
}
