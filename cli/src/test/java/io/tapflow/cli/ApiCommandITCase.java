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
            HttpResponse<String> r = null;
            for (int i = 0; i < 100 && r == null; i++) {
                try {
                    r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/customers?balance=gt.1"))
                            .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
                } catch (java.net.ConnectException e) {
                    Thread.sleep(100);
                }
            }
            assertThat(r).isNotNull();
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
}
