package io.tapflow.cli.quickstart;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.tapflow.dsl.DataSource;
import io.tapflow.servers.MongoTestServer;
import org.bson.Document;

/** The quickstart's MongoDB target (the emulator): collection customer of database demo, documents by _id. */
final class MongoDemoTarget implements DemoTarget {
    private final MongoTestServer mongo;
    private final MongoClient client;
    private final MongoCollection<Document> customers;

    MongoDemoTarget(MongoTestServer mongo) {
        this.mongo = mongo;
        this.client = MongoClients.create(mongo.connectionString());
        this.customers = client.getDatabase("demo").getCollection("customer");
    }

    @Override
    public String name() {
        return "MongoDB";
    }

    @Override
    public String label() {
        return "MongoDB (emulator)";
    }

    @Override
    public DataSource dataSource() {
        return DataSource.of("mongodb", "demo-mongodb").uri(mongo.connectionString()).database("demo");
    }

    @Override
    public long rows() {
        return customers.countDocuments();
    }

    @Override
    public boolean shows(int id, String note, boolean deleted) {
        Document d = customers.find(Filters.eq("_id", id)).first();
        return deleted ? d == null : d != null && note.equals(d.getString("note"));
    }

    @Override
    public void close() {
        client.close();
    }
}
