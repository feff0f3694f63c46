package io.tapflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.api.Api;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The behaviour every backend's data API must have, run against a real server by each subclass: the table
 * {@code customer} (20 rows, see {@link #COUNTRY} and {@link #balance}) and the 10,000-row table {@code events}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DataApiContract {
    static final int CUSTOMERS = 20;
    static final int EVENTS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private Path home;
    private Backends backends;
    private ApiServer server;
    private ApiKeys keys;
    private String key;

    /** The customer's country: DE, FR, US in turn, none (NULL) for every 7th. */
    static String country(int id) {
        return id % 7 == 0 ? null : List.of("DE", "FR", "US").get(id % 3);
    }

    /** An exact decimal with scale 2; every 4th is a whole amount, rendered with its two zero decimals. */
    static BigDecimal balance(int id) {
        return id % 4 == 0 ? new BigDecimal(id * 10 + ".00") : new BigDecimal(id * 10 + 0.25 + "");
    }

    static String name(int id) {
        return id == 5 ? "O'Brien%_5" : "name-" + id;
    }

    abstract DataSource datasource();

    /** The key field's name: id in SQL tables, _id in MongoDB. */
    abstract String idField();

    /** (Re)creates customer (id, name, country, balance) and events (id, seq) with ids 1..EVENTS. */
    abstract void createTables() throws Exception;

    abstract void insertEvent(int id) throws Exception;

    abstract void deleteEvent(int id) throws Exception;

    abstract boolean customerTableExists() throws Exception;

    /** The API as the backend needs it: an Elasticsearch index has no primary key, so its APIs name one. */
    Api keyed(Api api) {
        return api;
    }

    /** Whether the backend sorts NULLs first in ascending order (MongoDB); the SQL backends put them last. */
    boolean nullsFirstAscending() {
        return false;
    }

    @BeforeAll
    void start() throws Exception {
        createTables();
        home = Files.createTempDirectory("tapflow-api");
        keys = new ApiKeys(home);
        key = keys.create(List.of("customers", "events"), 10_000, 10_000).secret();
        backends = new Backends(5);
        ApiPublisher publisher = new ApiPublisher(Map.of(datasource().name(), datasource()), backends);
        Api customers = Api.named("customers").readFrom(datasource().table("customer"))
                .fields(idField(), "name", "country", "balance").filterable(idField(), "name", "country", "balance")
                .sortable("balance", "country").param("min_balance", "balance", "gte");
        Api events = Api.named("events").readFrom(datasource().table("events")).fields(idField(), "seq").sortable("seq");
        server = new ApiServer(List.of(publisher.check(keyed(customers)), publisher.check(keyed(events))), keys)
                .start("127.0.0.1", 0);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (backends != null) {
            backends.close();
        }
    }

    @Test
    void everyOperatorSelectsTheRightRows() throws Exception {
        assertIds("country=eq.DE", id -> "DE".equals(country(id)));
        assertIds("country=neq.DE", id -> country(id) != null && !"DE".equals(country(id)));
        assertIds("balance=gt.100.25", id -> balance(id).compareTo(new BigDecimal("100.25")) > 0);
        assertIds("balance=gte.100.25", id -> balance(id).compareTo(new BigDecimal("100.25")) >= 0);
        assertIds("balance=lt.50", id -> balance(id).compareTo(new BigDecimal("50")) < 0);
        assertIds("balance=lte.40.00", id -> balance(id).compareTo(new BigDecimal("40")) <= 0);
        assertIds("country=in.(FR,US)", id -> "FR".equals(country(id)) || "US".equals(country(id)));
        assertIds("name=like.name-1*", id -> name(id).startsWith("name-1"));
        // % and _ are literal in a like pattern; only * is a wildcard.
        assertIds("name=like." + enc("O'Brien%_*"), id -> id == 5);
        assertIds("name=like." + enc("*%*"), id -> id == 5);
        assertIds("country=is.null", id -> country(id) == null);
        assertIds("country=is.not.null", id -> country(id) != null);
        assertIds("balance=gte.50&balance=lte.100", id -> balance(id).compareTo(BigDecimal.valueOf(50)) >= 0
                && balance(id).compareTo(BigDecimal.valueOf(100)) <= 0);
        assertIds("min_balance=150", id -> balance(id).compareTo(BigDecimal.valueOf(150)) >= 0);
        assertIds(idField() + "=eq.3", id -> id == 3);
    }

    @Test
    void valuesFieldsOrderCountAndKey() throws Exception {
        JsonNode page = ok("/api/customers?" + idField() + "=eq.4");
        JsonNode row = page.get("data").get(0);
        assertThat(row.get("balance").decimalValue()).isEqualByComparingTo("40.00");
        // Exact: the column's scale is kept and the number is written plainly.
        assertThat(get("/api/customers?" + idField() + "=eq.4", key).body()).contains("\"balance\":40.00");
        assertThat(row.get("name").asText()).isEqualTo("name-4");

        JsonNode fields = ok("/api/customers?fields=name&" + idField() + "=eq.5").get("data").get(0);
        assertThat(names(fields)).containsExactly("name");
        assertThat(fields.get("name").asText()).isEqualTo("O'Brien%_5");

        JsonNode desc = ok("/api/customers?order=balance.desc&limit=3");
        assertThat(ids(desc)).containsExactly(20, 19, 18);
        JsonNode byCountry = ok("/api/customers?order=country,balance.desc&limit=" + CUSTOMERS);
        List<Integer> expected = IntStream.rangeClosed(1, CUSTOMERS).boxed().sorted((a, b) -> {
            String ca = country(a);
            String cb = country(b);
            if (ca == null || cb == null) {
                int nullsLast = ca == null ? (cb == null ? 0 : 1) : -1;
                return nullsLast == 0 ? b - a : nullsFirstAscending() ? -nullsLast : nullsLast;
            }
            return ca.equals(cb) ? b - a : ca.compareTo(cb);
        }).toList();
        assertThat(ids(byCountry)).containsExactlyElementsOf(expected);

        JsonNode counted = ok("/api/customers?country=eq.FR&count=exact&limit=2");
        assertThat(counted.get("count").asLong()).isEqualTo(IntStream.rangeClosed(1, CUSTOMERS).filter(id -> "FR".equals(country(id))).count());
        assertThat(counted.get("data")).hasSize(2);
        assertThat(counted.get("next").isNull()).isFalse();

        JsonNode one = ok("/api/customers/7");
        assertThat(one.get("country").isNull()).isTrue();
        assertThat(one.get("name").asText()).isEqualTo("name-7");
        HttpResponse<String> missing = get("/api/customers/999", key);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("application/problem+json"));

        JsonNode offsetPage = ok("/api/customers?offset=18&limit=5");
        assertThat(ids(offsetPage)).containsExactly(19, 20);
    }

    @Test
    void wrongTypesAndInjectionAttemptsAreRefusedBeforeAnyQuery() throws Exception {
        assertRefused("min_balance=abc", "parameter 'min_balance' must be decimal");
        assertRefused("balance=gt.12abc", "filter 'balance' must be decimal");
        assertRefused(idField() + "=eq.1%20or%201%3D1", "must be integer");
        assertRefused("balance=eq." + enc("1 or 1=1"), "must be decimal");
        assertRefused("order=" + enc("balance;drop table customer"), "cannot order by");
        assertRefused("order=" + enc("balance'"), "cannot order by");
        assertRefused("fields=" + enc("name,(select 1)"), "unknown field");
        assertRefused("fields=" + enc("name\""), "unknown field");
        assertRefused(enc("$where") + "=" + enc("sleep(1000)"), "unknown query parameter '$where'");
        assertRefused(enc("name.first") + "=eq.x", "unknown query parameter 'name.first'");
        assertRefused(enc("$or") + "=x", "unknown query parameter");
        assertRefused("country=" + enc("{\"$gt\": \"\"}"), "needs an operator");
        assertRefused("balance=eq." + enc("{\"$gt\": 0}"), "must be decimal");
        assertRefused("name=eq." + "x".repeat(5000), "at most 1000");
        assertRefused("limit=1000000", "limit must be from 1 to 1000");
        assertRefused("limit=-1", "limit must be from 1 to 1000");
        assertRefused("cursor=" + enc("'; drop table customer; --"), "cursor");
        assertRefused("count=estimated", "count must be 'exact'");
        // A SQL text as a string value is just a value: it matches no row, and the table is still there.
        JsonNode injected = ok("/api/customers?name=eq." + enc("'; drop table customer; --"));
        assertThat(injected.get("data")).isEmpty();
        JsonNode mongoish = ok("/api/customers?name=eq." + enc("{\"$gt\": \"\"}"));
        assertThat(mongoish.get("data")).isEmpty();
        assertThat(customerTableExists()).isTrue();
        assertThat(get("/api/customers/abc", key).statusCode()).isEqualTo(400);
    }

    @Test
    void keysAreRequiredScopedAndRevocable() throws Exception {
        HttpResponse<String> none = get("/api/customers", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("Authorization: Bearer").doesNotContain("Exception");
        assertThat(get("/api/customers", "tfk_000000000000_" + "0".repeat(64)).statusCode()).isEqualTo(401);
        String eventsOnly = keys.create(List.of("events"), 100, 100).secret();
        assertThat(get("/api/customers", eventsOnly).statusCode()).isEqualTo(403);
        assertThat(get("/api/events?limit=1", eventsOnly).statusCode()).isEqualTo(200);
        ApiKeys.Created revoked = keys.create(List.of("*"), 100, 100);
        assertThat(get("/api/customers?limit=1", revoked.secret()).statusCode()).isEqualTo(200);
        keys.revoke(revoked.key().id());
        assertThat(get("/api/customers?limit=1", revoked.secret()).statusCode()).isEqualTo(401);
        assertThat(Files.readString(home.resolve("api-keys.json"))).doesNotContain(revoked.secret().substring(17));
    }

    @Test
    void aBurstIsLimitedWith429ThenRecovers() throws Exception {
        String slow = keys.create(List.of("customers"), 2, 3).secret();
        List<HttpResponse<String>> burst = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 8; i++) {
            burst.add(get("/api/customers?limit=1", slow));
        }
        // The burst of 3, and the 2 tokens a second that came while the requests ran (more than one second when the
        // machine is loaded): no more.
        long refilled = (long) ((System.nanoTime() - start) / 1e9 * 2);
        assertThat(refilled).as("the burst must take well under 2.5 s to show the limit").isLessThan(5);
        assertThat(burst.stream().filter(r -> r.statusCode() == 200).count()).isBetween(3L, 3L + refilled);
        HttpResponse<String> limited = burst.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        Thread.sleep(1100);
        assertThat(get("/api/customers?limit=1", slow).statusCode()).isEqualTo(200);
    }

    /** Keyset paging while rows are inserted and deleted: every row present throughout is returned exactly once. */
    @Test
    void pagingIsStableWhileRowsChange() throws Exception {
        Set<Integer> deleted = new HashSet<>();
        List<Integer> seen = new ArrayList<>();
        String next = null;
        int page = 0;
        int inserted = EVENTS;
        do {
            JsonNode body = ok("/api/events?limit=400&order=seq.desc" + (next == null ? "" : "&cursor=" + next));
            seen.addAll(ids(body));
            next = body.get("next").isNull() ? null : body.get("next").asText();
            // Between pages: delete rows on both sides of the position, insert rows at both ends of the order.
            deleteEvent(1 + page * 37);
            deleteEvent(EVENTS - page * 41);
            deleted.add(1 + page * 37);
            deleted.add(EVENTS - page * 41);
            insertEvent(++inserted);
            insertEvent(-page - 1);
            page++;
        } while (next != null);
        assertThat(seen).doesNotHaveDuplicates();
        Set<Integer> throughout = new TreeSet<>();
        IntStream.rangeClosed(1, EVENTS).filter(id -> !deleted.contains(id)).forEach(throughout::add);
        assertThat(new HashSet<>(seen)).containsAll(throughout);
        assertThat(page).isGreaterThanOrEqualTo(EVENTS / 400);
    }

    private void assertIds(String query, IntPredicate expected) throws Exception {
        List<Integer> want = IntStream.rangeClosed(1, CUSTOMERS).filter(expected).boxed().toList();
        assertThat(ids(ok("/api/customers?" + query + "&limit=1000"))).as(query).containsExactlyElementsOf(want);
    }

    private void assertRefused(String query, String message) throws Exception {
        double before = server.queriesRun("customers");
        HttpResponse<String> r = get("/api/customers?" + query, key);
        assertThat(r.statusCode()).as(query).isEqualTo(400);
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.get("detail").asText()).as(query).contains(message);
        assertThat(r.body()).doesNotContain("SELECT").doesNotContain("Exception").doesNotContain("at io.");
        assertThat(server.queriesRun("customers")).as("queries run for " + query).isEqualTo(before);
    }

    private JsonNode ok(String path) throws Exception {
        HttpResponse<String> r = get(path, key);
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<Integer> ids(JsonNode page) {
        List<Integer> out = new ArrayList<>();
        page.get("data").forEach(r -> out.add(r.get(idField()).asInt()));
        return out;
    }

    private static List<String> names(JsonNode row) {
        List<String> out = new ArrayList<>();
        row.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
