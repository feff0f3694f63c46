package io.tapflow.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Serves published APIs over HTTP (Javalin): {@code GET /api/<name>}, {@code /api/<name>/<key>},
 * {@code /api/<name>/changes} (Server-Sent Events), {@code /openapi.json},
 * {@code /docs} (Swagger UI), {@code /health} and {@code /metrics}. Every {@code /api} request needs a key with the
 * API in its scopes, and is within the key's rate limit; every failure is JSON problem details without internals.
 */
public final class ApiServer implements AutoCloseable {
    /**
     * HTTP threads beside one per database connection: Jetty's acceptor and selectors, and requests that need no
     * database (health, metrics, docs, refusals). Javalin's default of up to 250 let every connection's request wait
     * on a thread of its own; on 2 cores those runnable threads only took turns with the database, and the tail showed
     * it (DataApiBenchmark: by key at a fixed 7,500/s, p99 31-44 ms with 16 threads against 124-230 ms).
     */
    public static final int SPARE_THREADS = 8;
    /** Fewest HTTP threads, whatever the connections: APIs over MongoDB or Elasticsearch hold none of tapflow's. */
    public static final int MIN_THREADS = 16;
    /** How often {@code /changes} streams poll their tables, unless told otherwise. */
    public static final long CHANGES_POLL_MILLIS = 200;
    private static final String PROBLEM_JSON = "application/problem+json";
    private final Map<String, PublishedApi> apis = new LinkedHashMap<>();
    private final KeyRing keys;
    private final RateLimiter limiter = new RateLimiter(System::nanoTime);
    private final ApiMetrics metrics = new ApiMetrics();
    private final ChangeStream changes;
    private final TopicChangeStream topicChanges = new TopicChangeStream();
    private final Javalin app;
    /** Writes answers straight into the response; the response stream is Javalin's to close. */
    private final ObjectWriter answers;

    public ApiServer(List<PublishedApi> published, ApiKeys keys) {
        this(published, keys, CHANGES_POLL_MILLIS);
    }

    /** @param changesPollMillis how often {@code /changes} streams poll their tables */
    public ApiServer(List<PublishedApi> published, ApiKeys keys, long changesPollMillis) {
        this(published, keys, changesPollMillis, MIN_THREADS);
    }

    /**
     * @param changesPollMillis how often {@code /changes} streams poll their tables
     * @param httpThreads the most threads serving HTTP requests ({@link #threadsFor}); further requests wait in line
     */
    public ApiServer(List<PublishedApi> published, ApiKeys keys, long changesPollMillis, int httpThreads) {
        this.changes = new ChangeStream(changesPollMillis);
        published.forEach(a -> apis.put(a.name(), a));
        this.keys = new KeyRing(keys);
        ObjectMapper json = new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        this.answers = json.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.staticFiles.enableWebjars();
            config.http.defaultContentType = "application/json";
            config.http.prefer405over404 = true; // a POST to an API says the APIs are read-only, not that it is missing
            QueuedThreadPool threads = new QueuedThreadPool(httpThreads, Math.min(8, httpThreads), 60_000);
            threads.setName("tapflow-api-http");
            config.jetty.threadPool = threads;
        });
        app.get("/health", ctx -> ctx.json(Map.of("status", "up", "apis", List.copyOf(apis.keySet()))));
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.text()));
        app.get("/openapi.json", ctx -> ctx.json(OpenApiDocument.of(List.copyOf(apis.values()))));
        app.get("/docs", ctx -> ctx.html(SwaggerPage.html(swaggerUiVersion())));
        // Checked before the stream starts: once it has, the status is sent and a refusal could not be.
        app.before("/api/{name}/changes", ctx -> {
            ctx.attribute("start", System.nanoTime());
            PublishedApi api = authorize(ctx);
            if (api.api().updatedColumn() == null && api.changesFrom() == null) {
                throw new ProblemException(404, "Not Found", "API '" + api.name() + "' has no change stream; declare its update"
                        + " column with changes_by(...) or its change topic with changes_from(...)");
            }
            if (api.changesFrom() != null) {
                ctx.attribute("resumeAt", TopicChangeStream.positions(ctx.header("Last-Event-ID")));
            }
            // Javalin's SSE handler streams only to a request that accepts exactly this type, and answers others with nothing.
            if (!"text/event-stream".equals(ctx.header("Accept"))) {
                throw new ProblemException(406, "Not Acceptable", "the change stream is Server-Sent Events: send 'Accept: text/event-stream'");
            }
        });
        app.sse("/api/{name}/changes", client -> {
            PublishedApi api = apis.get(client.ctx().pathParam("name"));
            if (api.changesFrom() != null) {
                topicChanges.open(client, api, client.ctx().attribute("resumeAt"));
            } else {
                changes.open(client, api, () -> metrics.query(api.name()));
            }
        });
        app.get("/api/{name}", ctx -> serve(ctx, api -> ApiReader.page(api, ctx.queryParamMap(), () -> metrics.query(api.name()))));
        app.get("/api/{name}/{key}", ctx -> serve(ctx, api -> ApiReader.byKey(api, ctx.pathParam("key"), () -> metrics.query(api.name()))
                .orElseThrow(() -> new ProblemException(404, "Not Found", "no row of '" + api.name() + "' has key '"
                        + RequestParser.shorten(ctx.pathParam("key")) + "'"))));
        app.exception(ProblemException.class, (e, ctx) -> problem(ctx, e));
        app.exception(Exception.class, (e, ctx) -> {
            ApiLog.LOG.error("request {} failed", ctx.path(), e);
            problem(ctx, new ProblemException(500, "Internal Server Error", "the request failed on the server; see its log"));
        });
        app.error(404, ctx -> {
            if (!PROBLEM_JSON.equals(ctx.res().getContentType())) {
                problem(ctx, new ProblemException(404, "Not Found", "no such path; APIs are at /api/<name>, published: "
                        + String.join(", ", apis.keySet())));
            }
        });
        app.error(405, ctx -> problem(ctx, new ProblemException(405, "Method Not Allowed", "the APIs are read-only: use GET")));
        app.after("/api/*", ctx -> {
            Long start = ctx.attribute("start");
            String api = ctx.attribute("api");
            if (start != null && api != null) {
                metrics.request(api, ctx.statusCode(), System.nanoTime() - start);
            }
        });
    }

    /** HTTP threads for the APIs read through these backends: one per SQL connection, plus {@link #SPARE_THREADS}. */
    public static int threadsFor(Backends backends) {
        return Math.max(MIN_THREADS, backends.sqlConnections() + SPARE_THREADS);
    }

    public ApiServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Database queries run so far for an API: tests use it to show a refused request ran none. */
    public double queriesRun(String api) {
        return metrics.queries(api);
    }

    @Override
    public void close() {
        changes.close();
        topicChanges.close();
        app.stop();
    }

    private void serve(Context ctx, Function<PublishedApi, Object> answer) throws IOException {
        ctx.attribute("start", System.nanoTime());
        PublishedApi api = authorize(ctx);
        Object body = answer.apply(api);
        // Not ctx.json: that makes a String, then its bytes, then copies them through a new 32 KB buffer, for every
        // response; that buffer alone was nearly half of what a request by key allocated (JFR, DataApiBenchmark).
        ctx.contentType("application/json");
        answers.writeValue(ctx.outputStream(), body);
    }

    /** 401 without a valid key, 404 for an unknown API, 403 outside the key's scopes, 429 over its rate. */
    private PublishedApi authorize(Context ctx) {
        PublishedApi api = apis.get(ctx.pathParam("name"));
        if (api != null) {
            ctx.attribute("api", api.name()); // counted per API from here on, 401s included
        }
        String header = ctx.header("Authorization");
        String presented = header != null && header.startsWith("Bearer ") ? header.substring("Bearer ".length()).trim() : null;
        ApiKey key = keys.match(presented).orElse(null);
        if (key == null) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ProblemException(401, "Unauthorized", presented == null
                    ? "send an API key as 'Authorization: Bearer <key>'; create one with 'tapflow api key create'"
                    : "the API key is not valid (unknown or revoked)");
        }
        if (api == null) {
            throw new ProblemException(404, "Not Found", "no API '" + RequestParser.shorten(ctx.pathParam("name")) + "'; published: "
                    + String.join(", ", apis.keySet()));
        }
        if (!key.allows(api.name())) {
            throw new ProblemException(403, "Forbidden", "this key may not read API '" + api.name() + "'; its scopes: " + String.join(", ", key.scopes()));
        }
        long wait = limiter.acquire(key);
        if (wait > 0) {
            ctx.header("Retry-After", String.valueOf(wait));
            throw new ProblemException(429, "Too Many Requests", "rate limit of this key (" + key.ratePerSecond() + " requests/s, burst "
                    + key.burst() + ") reached; retry after " + wait + " s");
        }
        return api;
    }

    private static void problem(Context ctx, ProblemException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", e.title());
        body.put("status", e.status());
        body.put("detail", e.getMessage());
        ctx.status(e.status()).json(body).contentType(PROBLEM_JSON);
    }

    private static String swaggerUiVersion() {
        try (InputStream in = ApiServer.class.getResourceAsStream("/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the swagger-ui webjar is missing from the classpath", e);
        }
    }
}
