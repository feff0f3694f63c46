package io.tapflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.servers.PostgresServer;
import io.tapflow.servers.SharedServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code tapflow api ...} as a user types it, against a real PostgreSQL: publish (checked), list, show, keys, serve. */
class ApiCommandITCase {
    @RegisterExtension
    final CliRun cli = new CliRun();
    private final PostgresServer pg = SharedServers.postgres();

    @BeforeEach
    void setUp() throws Exception {
        pg.createDatabase("cli_api");
        try (Connection c = pg.connect("cli_api"); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS customer");
            s.execute("CREATE TABLE customer (id INT PRIMARY KEY, name TEXT NOT NULL, balance NUMERIC(10,2))");
            s.execute("INSERT INTO customer VALUES (1, 'Ada', 10.50), (2, 'Grace', NULL)");
        }
        assertThat(cli.run("datasource", "add", "shop", "--type", "postgres", "-o", "host=" + pg.host(), "-o", "port=" + pg.port(),
                "-o", "username=" + pg.user(), "-o", "password=" + pg.password(), "-o", "database=cli_api")).isZero();
    }

    @Test
    void everyProblemIsReportedAtOnceAndNothingIsPublished() throws Exception {
        Path file = cli.home().resolve("bad.py");
        Files.writeString(file, """
                Api('good').read_from('shop.customer').fields('id', 'name').publish()
                Api('bad').read_from('shop.customer').fields('id', 'nme', 'email').sortable('name').publish()
                """);
        assertThat(cli.run("api", "publish", file.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("sortable field 'name' is not among the fields [id, nme, email]");
        Files.writeString(file, """
                Api('good').read_from('shop.customer').fields('id', 'name').publish()
                Api('bad').read_from('shop.customer').fields('id', 'nme', 'email').publish()
                Api('worse').read_from('shop.orders').fields('id').publish()
                """);
        assertThat(cli.run("api", "publish", file.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("api 'bad' has 2 problems").contains("field 'nme' is not a column of shop.customer; its columns: id, name, balance")
                .contains("field 'email' is not a column");
        assertThat(cli.run("api", "list")).isZero();
        assertThat(cli.out()).contains("no published APIs");
        Path json = cli.home().resolve("api.json");
        Files.writeString(json, "{\"name\": \"x\", \"datasource\": \"nowhere\", \"table\": \"t\", \"fields\": [\"id\"]}");
        assertThat(cli.run("api", "publish", json.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("unknown datasource 'nowhere'; known datasources: shop");
    }

    @Test
    void publishKeysAndServe() throws Exception {
        Path file = cli.home().resolve("api.json");
        Files.writeString(file, """
                {"name": "customers", "datasource": "shop", "table": "customer", "fields": ["id", "name", "balance"],
                 "filterable": ["balance"], "sortable": ["balance"]}
                """);
        assertThat(cli.run("api", "publish", file.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("published API 'customers' (shop.customer) at /api/customers");
        assertThat(cli.run("api", "list")).isZero();
        assertThat(cli.out()).contains("customers").contains("shop.customer").contains("id, name, balance");
        assertThat(cli.run("api", "show", "customers")).isZero();
        assertThat(cli.out()).contains("\"filterable\" : [ \"balance\" ]");

        assertThat(cli.run("api", "key", "create", "--scope", "customers", "--rate", "10", "--burst", "20")).isZero();
        String key = cli.out().strip();
        assertThat(key).startsWith("tfk_");
        assertThat(cli.err()).contains("it is shown only now");
        assertThat(cli.run("api", "key", "list")).isZero();
        String id = key.substring(4, key.indexOf('_', 4));
        assertThat(cli.out()).contains(id).contains("active").contains("customers").doesNotContain(key.substring(17));
        assertThat(Files.readString(cli.home().resolve("api-keys.json"))).doesNotContain(key.substring(17));

        int port = io.tapflow.servers.FreePorts.pick();
        Thread serve = new Thread(() -> cli.run("api", "serve", "--port", String.valueOf(port)));
        serve.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> r = awaitServing(http, URI.create("http://127.0.0.1:" + port + "/api/customers?balance=gt.1"), key);
            assertThat(r.body()).isEqualTo("{\"data\":[{\"id\":1,\"name\":\"Ada\",\"balance\":10.50}],\"next\":null}");
            assertThat(cli.run("api", "key", "revoke", id)).isZero();
            HttpResponse<String> revoked = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/customers"))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(revoked.statusCode()).isEqualTo(401);
        } finally {
            serve.interrupt();
            serve.join(10_000);
        }
        assertThat(serve.isAlive()).isFalse();
        assertThat(cli.run("api", "unpublish", "customers")).isZero();
        assertThat(cli.run("api", "show", "customers")).isEqualTo(1);
        assertThat(cli.err()).contains("no published API 'customers'; published: none");
    }

    /**
     * {@code changes_from('events.<topic>')} published from a script and served by {@code tapflow api serve}: a change
     * and a delete written to the topic as tapflow's Kafka target writes them arrive on {@code /api/customers/changes}.
     */
    @Test
    void serveStreamsTheChangesOfAKafkaTopic() throws Exception {
        String topic = "cli.customer.changes" + System.nanoTime();
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", SharedServers.kafka().bootstrapServers());
        try (Admin admin = Admin.create(kafka)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        assertThat(cli.run("datasource", "add", "events", "--type", "kafka", "-o",
                "bootstrap-servers=" + SharedServers.kafka().bootstrapServers())).as(cli.err()).isZero();
        Path file = cli.home().resolve("api.py");
        Files.writeString(file, "Api('customers').read_from('shop.customer').fields('id', 'name', 'balance')"
                + ".changes_from('events." + topic + "').publish()\n");
        assertThat(cli.run("api", "publish", file.toString())).as(cli.err()).isZero();
        assertThat(cli.run("api", "key", "create", "--scope", "customers")).isZero();
        String key = cli.out().strip();

        int port = io.tapflow.servers.FreePorts.pick();
        Thread serve = new Thread(() -> cli.run("api", "serve", "--port", String.valueOf(port)));
        serve.start();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka, new StringSerializer(), new StringSerializer())) {
            HttpClient http = HttpClient.newHttpClient();
            assertThat(awaitServing(http, URI.create("http://127.0.0.1:" + port + "/api/customers/1"), key).statusCode()).isEqualTo(200);
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/customers/changes"))
                            .header("Authorization", "Bearer " + key).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> r.body().forEach(lines::add));
            assertThat(lines.poll(20, TimeUnit.SECONDS)).as("the stream's opening comment").startsWith(":");
            producer.send(new ProducerRecord<>(topic, "{\"id\":3}", debeziumJson(null, "{\"id\":3,\"name\":\"Edsger\",\"balance\":7.25}", "c"))).get();
            producer.send(new ProducerRecord<>(topic, "{\"id\":1}", debeziumJson("{\"id\":1,\"name\":\"Ada\",\"balance\":10.50}", null, "d"))).get();
            assertThat(nextEvent(lines)).isEqualTo("change {\"id\":3,\"name\":\"Edsger\",\"balance\":7.25}");
            assertThat(nextEvent(lines)).isEqualTo("delete {\"id\":1}");
        } finally {
            serve.interrupt();
            serve.join(10_000);
        }
        assertThat(serve.isAlive()).isFalse();
        assertThat(cli.out()).contains("serving 1 API(s)").contains("stopped serving");
    }

    /** A message value as tapflow's Kafka target writes debezium-json. */
    private static String debeziumJson(String before, String after, String op) {
        return "{\"before\":" + before + ",\"after\":" + after + ",\"source\":{\"connector\":\"tapflow\",\"db\":\"cli_api\","
                + "\"table\":\"customer\"},\"op\":\"" + op + "\",\"ts_ms\":" + System.currentTimeMillis() + "}";
    }

    /** The next Server-Sent Event as "name data" (it ends at a blank line); fails after 20 s without a line. */
    private static String nextEvent(BlockingQueue<String> lines) throws InterruptedException {
        String name = null;
        String data = null;
        while (true) {
            String line = lines.poll(20, TimeUnit.SECONDS);
            assertThat(line).as("a line of the change stream").isNotNull();
            if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                data = line.substring(5).strip();
            } else if (line.isEmpty() && data != null) {
                return name + " " + data;
            }
        }
    }

    /** The first answer to a GET once {@code tapflow api serve} listens (it starts in another thread). */
    private static HttpResponse<String> awaitServing(HttpClient http, URI uri, String key) throws Exception {
        for (int i = 0; i < 200; i++) {
            try {
                return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (java.net.ConnectException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("tapflow api serve did not listen within 20 s");
    }
}
