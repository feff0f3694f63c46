package io.tapflow.api;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.tapflow.dsl.DataSource;
import io.tapflow.servers.MongoTestServer;
import io.tapflow.servers.SharedServers;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.AfterAll;

/**
 * The data API contract on MongoDB: the mongo-java-server EMULATOR by default (not a real mongod), or a real server
 * when TAPFLOW_TEST_MONGO_URI names one. Ids are integer {@code _id}s; balances are Decimal128.
 */
class MongoDataApiITCase extends DataApiContract {
    private static final String DB = "api_test";
    private final MongoTestServer mongo = SharedServers.mongo();
    private final MongoClient client = MongoClients.create(mongo.connectionString());
    private final MongoDatabase db = client.getDatabase(DB);

    @Override
    DataSource datasource() {
        return DataSource.of("mongodb", "mongo").uri(mongo.connectionString()).database(DB);
    }

    @Override
    String idField() {
        return "_id";
    }

    @Override
    boolean nullsFirstAscending() {
        return true;
    }

    @Override
    void createTables() {
        db.getCollection("customer").drop();
        db.getCollection("events").drop();
        List<Document> customers = new ArrayList<>();
        for (int id = 1; id <= CUSTOMERS; id++) {
            customers.add(new Document("_id", (long) id).append("name", name(id)).append("country", country(id))
                    .append("balance", new Decimal128(balance(id))));
        }
        db.getCollection("customer").insertMany(customers);
        List<Document> events = new ArrayList<>();
        for (int id = 1; id <= EVENTS; id++) {
            events.add(event(id));
        }
        db.getCollection("events").insertMany(events);
    }

    private static Document event(int id) {
        return new Document("_id", (long) id).append("seq", JdbcTables.seq(id));
    }

    @Override
    void insertEvent(int id) {
        db.getCollection("events").insertOne(event(id));
    }

    @Override
    void deleteEvent(int id) {
        db.getCollection("events").deleteOne(Filters.eq("_id", (long) id));
    }

    @Override
    boolean customerTableExists() {
        return db.getCollection("customer").countDocuments() == CUSTOMERS;
    }

    @AfterAll
    void closeClient() {
        client.close();
    }
}
