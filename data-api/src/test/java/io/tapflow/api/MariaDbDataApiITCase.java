package io.tapflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.api.Api;
import io.tapflow.servers.MariaDbServer;
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
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The data API contract on a real MariaDB (type mariadb, an alias of mysql). */
class MariaDbDataApiITCase extends DataApiContract {
    private static final String DB = "api_test";
    private final MariaDbServer maria = SharedServers.mariaDb();

    @Override
    DataSource datasource() {
        return DataSource.of("mariadb", "maria").host(maria.host()).port(maria.port()).username(maria.adminUser())
                .password(maria.adminPassword()).database(DB);
    }

    @Override
    String idField() {
        return "id";
    }

    @Override
    void createTables() throws Exception {
        maria.createDatabase(DB);
        try (Connection c = maria.connectAsAdmin(DB)) {
            JdbcTables.create(c, "DECIMAL(12,2)");
        }
    }

    @Override
    void insertEvent(int id) throws Exception {
        try (Connection c = maria.connectAsAdmin(DB)) {
            JdbcTables.insertEvent(c, id);
        }
    }

    @Override
    void deleteEvent(int id) throws Exception {
        try (Connection c = maria.connectAsAdmin(DB)) {
            JdbcTables.deleteEvent(c, id);
        }
    }

    /** A zero date has no ISO form: the request fails naming table, column and row, and never shows it as NULL. */
    @Test
    void aZeroDateIsRefusedNamingTableColumnAndRow() throws Exception {
        try (Connection c = maria.connectAsAdmin(DB); Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_mode = ''");
            s.execute("DROP TABLE IF EXISTS dated");
            s.execute("CREATE TABLE dated (id INT PRIMARY KEY, day DATE)");
            s.execute("INSERT INTO dated VALUES (1, '2024-01-31'), (2, '0000-00-00')");
        }
        Path home = Files.createTempDirectory("tapflow-api");
        ApiKeys keys = new ApiKeys(home);
        String key = keys.create(List.of("*"), 100, 100).secret();
        try (Backends backends = new Backends(5); ApiServer server = new ApiServer(List.of(new ApiPublisher(Map.of("maria", datasource()),
                backends).check(Api.named("dated").readFrom(datasource().table("dated")).fields("id", "day"))), keys).start("127.0.0.1", 0)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> one = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/dated/1"))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(one.body()).isEqualTo("{\"id\":1,\"day\":\"2024-01-31\"}");
            HttpResponse<String> all = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/dated"))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(all.statusCode()).isEqualTo(500);
            assertThat(all.body()).contains("dated.day of the row with id=2 holds a value that cannot be returned as date (DATE)")
                    .doesNotContain("null");
        }
    }

    @Override
    boolean customerTableExists() throws Exception {
        try (Connection c = maria.connectAsAdmin(DB)) {
            return JdbcTables.exists(c, "customer");
        }
    }
}
