package io.tapflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.InvalidDefinitionException;
import io.tapflow.dsl.api.Api;
import io.tapflow.servers.KafkaServer;
import io.tapflow.servers.PostgresServer;
import io.tapflow.servers.SharedServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code /changes} of an API with {@code changes_from(topic)} on a real Kafka broker: inserts, updates and deletes of
 * the topic's debezium-json messages (keyed and shaped as tapflow's Kafka target writes them) arrive as {@code change}
 * and {@code delete} events, and a client resumes with {@code Last-Event-ID}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicChangesITCase {
    private static final String DB = "api_topic";
    private static final String TOPIC = "shop.product.changes";
    private final PostgresServer pg = SharedServers.postgres();
    private final KafkaServer kafka = SharedServers.kafka();
    private final HttpClient http = HttpClient.newHttpClient();
    private Backends backends;
    private ApiServer server;
    private ApiPublisher publisher;
    private KafkaProducer<String, String> producer;
    private String key;

    @BeforeAll
    void start() throws Exception {
        pg.createDatabase(DB);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(DB), pg.user(), pg.password()); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS product");
            s.execute("CREATE TABLE product (id INT PRIMARY KEY, name TEXT NOT NULL, price NUMERIC(10,2) NOT NULL)");
        }
        Properties admin = new Properties();
        admin.put("bootstrap.servers", kafka.bootstrapServers());
        try (Admin a = Admin.create(admin)) {
            if (!a.listTopics().names().get().contains(TOPIC)) {
                a.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get();
            }
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        DataSource ds = DataSource.of("postgres", "pg").host(pg.host()).port(pg.port()).username(pg.user()).password(pg.password()).database(DB);
        DataSource events = DataSource.of("kafka", "events").option("bootstrap-servers", kafka.bootstrapServers());
        ApiKeys keys = new ApiKeys(Files.createTempDirectory("tapflow-api"));
        key = keys.create(List.of("*"), 1000, 1000).secret();
        backends = new Backends(5);
        publisher = new ApiPublisher(Map.of("pg", ds, "events", events), backends);
        Api products = Api.named("products").readFrom(ds.table("product")).fields("id", "name", "price")
                .changesFrom(events.table(TOPIC));
        server = new ApiServer(List.of(publisher.check(products)), keys, 50).start("127.0.0.1", 0);
    }

    @AfterAll
    void stop() {
        server.close();
        backends.close();
        producer.close();
    }

    @Test
    void insertsUpdatesAndDeletesArriveAndAClientResumes() throws Exception {
        BlockingQueue<String> lines = open(null);
        assertThat(lines.poll(10, TimeUnit.SECONDS)).startsWith(":"); // the opening comment: positions are fixed
        send(3, null, "{\"id\":3,\"name\":\"cap\",\"price\":2.00}", "c");
        send(3, "{\"id\":3,\"name\":\"cap\",\"price\":2.00}", "{\"id\":3,\"name\":\"cap\",\"price\":1.75}", "u");
        send(3, "{\"id\":3,\"name\":\"cap\",\"price\":1.75}", null, "d");
        List<String[]> events = events(lines, 3);
        assertThat(events.get(0)[0]).isEqualTo("change");
        assertThat(events.get(0)[1]).isEqualTo("{\"id\":3,\"name\":\"cap\",\"price\":2.00}");
        assertThat(events.get(1)[1]).contains("\"price\":1.75");
        assertThat(events.get(2)[0]).isEqualTo("delete");
        assertThat(events.get(2)[1]).isEqualTo("{\"id\":3}");

        // Resuming after the first event: the update and the delete again, then what came meanwhile.
        send(4, null, "{\"id\":4,\"name\":\"ink\",\"price\":12345678.99}", "r");
        // Keys 3 and 4 may sit in different partitions: the order holds per key (per partition), not across them.
        List<String[]> again = events(open(events.get(0)[2]), 3);
        assertThat(again.stream().filter(e -> e[1].startsWith("{\"id\":3")).map(e -> e[0] + " " + e[1]).toList())
                .containsExactly("change {\"id\":3,\"name\":\"cap\",\"price\":1.75}", "delete {\"id\":3}");
        assertThat(again.stream().filter(e -> e[1].startsWith("{\"id\":4")).map(e -> e[0] + " " + e[1]).toList())
                .containsExactly("change {\"id\":4,\"name\":\"ink\",\"price\":12345678.99}");

        HttpResponse<String> bad = http.send(request("0:1;drop").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("Last-Event-ID");
    }

    @Test
    void aMissingTopicOrANonKafkaDatasourceIsRefusedAtPublish() {
        DataSource ds = DataSource.of("postgres", "pg").host(pg.host()).port(pg.port()).username(pg.user()).password(pg.password()).database(DB);
        assertThatThrownBy(() -> publisher.check(Api.named("p2").readFrom(ds.table("product")).fields("id")
                .changesFrom(new io.tapflow.dsl.TableRef("events", "no.such.topic"))))
                .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("has no topic 'no.such.topic'");
        assertThatThrownBy(() -> publisher.check(Api.named("p3").readFrom(ds.table("product")).fields("id")
                .changesFrom(new io.tapflow.dsl.TableRef("pg", "product"))))
                .hasMessageContaining("datasource 'pg' is postgres; name a topic of a Kafka datasource");
    }

    /** A message as tapflow's Kafka target writes debezium-json: key {"id":n}, value before/after/op. */
    private void send(int id, String before, String after, String op) throws Exception {
        String value = "{\"before\":" + before + ",\"after\":" + after + ",\"source\":{\"connector\":\"tapflow\",\"db\":\"shop\","
                + "\"table\":\"product\"},\"op\":\"" + op + "\",\"ts_ms\":" + System.currentTimeMillis() + "}";
        producer.send(new ProducerRecord<>(TOPIC, "{\"id\":" + id + "}", value)).get();
    }

    private HttpRequest.Builder request(String lastEventId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/products/changes"))
                .header("Authorization", "Bearer " + key).header("Accept", "text/event-stream");
        return lastEventId == null ? b : b.header("Last-Event-ID", lastEventId);
    }

    private BlockingQueue<String> open(String lastEventId) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        http.sendAsync(request(lastEventId).build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> r.body().forEach(lines::add));
        return lines;
    }

    /** The next n events as {name, data, id} (an event ends at a blank line); fails after 10 s without a line. */
    private static List<String[]> events(BlockingQueue<String> lines, int n) throws InterruptedException {
        List<String[]> out = new ArrayList<>();
        String[] event = new String[3];
        while (out.size() < n) {
            String line = lines.poll(10, TimeUnit.SECONDS);
            assertThat(line).as("event " + (out.size() + 1) + " of " + n).isNotNull();
            if (line.startsWith("event:")) {
                event[0] = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                event[1] = line.substring(5).strip();
            } else if (line.startsWith("id:")) {
                event[2] = line.substring(3).strip();
            } else if (line.isEmpty() && event[1] != null) {
                out.add(event);
                event = new String[3];
            }
        }
        return out;
    }
}
