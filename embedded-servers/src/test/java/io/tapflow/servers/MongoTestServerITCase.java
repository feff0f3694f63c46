package io.tapflow.servers;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class MongoTestServerITCase {

    @Test
    void roundTripsDocument() {
        try (MongoTestServer server = MongoTestServer.fromEnvironmentOrStart();
             MongoClient client = MongoClients.create(server.connectionString())) {
            MongoCollection<Document> orders = client.getDatabase("tapflow_check").getCollection("orders");
            orders.drop();

            orders.insertOne(new Document("_id", 1).append("item", "book").append("qty", 2));

            assertThat(orders.find(Filters.eq("_id", 1)).first())
                    .isEqualTo(new Document("_id", 1).append("item", "book").append("qty", 2));
        }
    }

    @Test
    void isEmulatorUnlessARealServerIsNamed() {
        boolean realServerNamed = System.getenv(MongoTestServer.URI_VARIABLE) != null;
        try (MongoTestServer server = MongoTestServer.fromEnvironmentOrStart()) {
            assertThat(server.isEmulator()).isEqualTo(!realServerNamed);
            assertThat(server.label()).contains(realServerNamed ? "MongoDB at " : "emulator");
        }
    }
}
