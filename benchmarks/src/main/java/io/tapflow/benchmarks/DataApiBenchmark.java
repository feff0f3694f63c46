package io.tapflow.benchmarks;

import io.tapflow.api.ApiKeys;
import io.tapflow.api.ApiPublisher;
import io.tapflow.api.ApiServer;
import io.tapflow.api.Backends;
import io.tapflow.api.PublishedApi;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.api.Api;
import io.tapflow.servers.FreePorts;
import io.tapflow.servers.PostgresServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * tapflow's data API against Platformatic DB (an auto-generated REST API over PostgreSQL, npm {@code @platformatic/db},
 * installed into {@code benchmarks/target/platformatic-db} on first use) on the same PostgreSQL table, measured with
 * wrk on loopback, one after the other in one run: GET by key (random ids) and a filtered, sorted page of 50 (random
 * thresholds on an indexed decimal column). Prints requests/s and p50/p99 per system and scenario; records nothing.
 * wrk keeps its connections busy (closed loop), so each system's p99 is taken at its own throughput; each scenario
 * is therefore also run at one fixed rate for both ({@link FixedRateLoad}, open loop, latency from the intended send
 * time), by default 80% of the slower system's wrk rate.
 *
 * <p>Settings: rows (1,000,000), seconds per wrk and fixed-rate run (30), connections (32), threads (2), warmupSeconds
 * (20), poolSize (tapflow's connections to PostgreSQL: {@code tapflow api serve}'s default), httpThreads (likewise), fixedRate (requests/s, one or one per scenario;
 * default fixedRateFraction 0.8 of the slower wrk rate), systems ({@code tapflow,platformatic}; {@code tapflow} alone
 * compares tapflow's own settings). The harness logs what tapflow's JVM (this one) did during each of its measured
 * runs: CPU time per request, peak threads, garbage collections.
 */
public final class DataApiBenchmark {
    private static final String PLATFORMATIC_VERSION = "2.61.0";

    private DataApiBenchmark() {}

    public static void main(String[] args) {
        Bench.runAndExit(() -> run(BenchConfig.parse(args)));
    }

    /** One wrk scenario: a path template per system; {@code {id}} and {@code {balance}} are drawn at random per request. */
    private record Scenario(String name, String tapflowPath, String platformaticPath) {}

    private static void run(BenchConfig config) throws Exception {
        int rows = config.integer("rows", 1_000_000);
        int seconds = config.integer("seconds", 30);
        int connections = config.integer("connections", 32);
        int threads = config.integer("threads", 2);
        // 5 s left the JVM compiling (C1 and C2, ~2,000 compilations) through the first 8 s of the first measured run
        // on this 2-core machine, its tail counted as tapflow's; both systems get the same warm-up.
        int warmup = config.integer("warmupSeconds", 20);
        int poolSize = config.integer("poolSize", Backends.DEFAULT_POOL_SIZE);
        // The fixed-rate runs: at fixedRate requests/s if given, else at this fraction of the slower system's wrk rate.
        List<Integer> fixedRates = config.integers("fixedRate", "0"); // one per scenario, or one for all
        double fixedRateFraction = Double.parseDouble(config.string("fixedRateFraction", "0.8"));
        // "tapflow" alone measures tapflow only (to compare its own settings in one window); the issue's table needs both.
        List<String> systems = List.of(config.string("systems", "tapflow,platformatic").split(","));
        boolean[] sides = systems.contains("platformatic") ? new boolean[] {true, false} : new boolean[] {true};
        Path work = config.workDir();
        Bench.header("Data API: tapflow vs Platformatic DB, " + String.format("%,d", rows) + " rows", config);
        PostgresServer postgres = null;
        Backends backends = null;
        ApiServer tapflow = null;
        Process platformatic = null;
        try {
            postgres = PostgresServer.start(work.resolve("postgres"));
            postgres.createDatabase(Bench.DATABASE);
            fill(postgres, rows);
            DataSource pg = Bench.postgresTarget(postgres);
            backends = new Backends(5, poolSize); // tapflow api serve's defaults, unless poolSize is given
            Api api = Api.named("customer").readFrom(pg.table("customer")).fields("id", "name", "country", "balance")
                    .filterable("balance", "country").sortable("balance");
            ApiKeys keys = new ApiKeys(Files.createDirectories(work.resolve("tapflow-home")));
            String key = keys.create(List.of("*"), 1e9, 1_000_000_000).secret();
            List<PublishedApi> published = List.of(new ApiPublisher(Map.of(pg.name(), pg), backends).check(api));
            int httpThreads = config.integer("httpThreads", ApiServer.threadsFor(backends)); // as tapflow api serve
            tapflow = new ApiServer(published, keys, ApiServer.CHANGES_POLL_MILLIS, httpThreads).start("127.0.0.1", FreePorts.pick());
            Bench.log("tapflow: " + poolSize + " connections to PostgreSQL, " + httpThreads + " HTTP threads");
            int pltPort = FreePorts.pick();
            if (sides.length == 2) {
                platformatic = startPlatformatic(postgres, pltPort, work);
            }
            String tapflowBase = "http://127.0.0.1:" + tapflow.port();
            String pltBase = "http://127.0.0.1:" + pltPort;
            List<Scenario> scenarios = List.of(
                    new Scenario("GET by key", "/api/customer/{id}", "/customer/{id}"),
                    new Scenario("filtered, sorted page of 50", "/api/customer?balance=gte.{balance}&order=balance.desc&limit=50",
                            "/customer?where.balance.gte={balance}&orderby.balance=desc&limit=50"));
            Path lua = work.resolve("wrk");
            Files.createDirectories(lua);
            List<String> table = new ArrayList<>();
            List<String> fixedTable = new ArrayList<>();
            for (Scenario s : scenarios) {
                check(tapflowBase + s.tapflowPath().replace("{id}", "1").replace("{balance}", "1"), key);
                if (platformatic != null) {
                    check(pltBase + s.platformaticPath().replace("{id}", "1").replace("{balance}", "1"), null);
                }
                double slowest = Double.MAX_VALUE;
                for (boolean isTapflow : sides) {
                    String system = system(isTapflow);
                    Path script = writeScript(lua, isTapflow ? s.tapflowPath() : s.platformaticPath(), isTapflow ? key : null, rows);
                    String base = isTapflow ? tapflowBase : pltBase;
                    wrk(base, script, threads, connections, warmup); // warm-up: JIT, pools, caches
                    List<String> command = wrkCommand(base, script, threads, connections, seconds);
                    Bench.log(system + " / " + s.name() + ": " + String.join(" ", command));
                    JvmUsage usage = JvmUsage.now();
                    WrkResult r = WrkResult.parse(run(command));
                    if (isTapflow) {
                        Bench.log("tapflow's JVM during it: " + usage.since((long) (r.requestsPerSecond() * seconds)));
                    }
                    slowest = Math.min(slowest, r.requestsPerSecond());
                    table.add(String.format("%-30s %-26s %12s %10s %10s %8d", s.name(), system, Bench.rate(r.requestsPerSecond()),
                            r.p50(), r.p99(), r.errors()));
                }
                // One rate for both, below the slower one's closed-loop maximum, so that neither is pushed past it.
                int fixedRate = fixedRates.get(Math.min(scenarios.indexOf(s), fixedRates.size() - 1));
                double rate = fixedRate > 0 ? fixedRate : Math.floor(fixedRateFraction * slowest);
                for (boolean isTapflow : sides) {
                    String system = system(isTapflow);
                    List<String> command = fixedRateCommand(isTapflow ? tapflowBase : pltBase,
                            isTapflow ? s.tapflowPath() : s.platformaticPath(), rows, rate, seconds, connections);
                    Bench.log(system + " / " + s.name() + " at a fixed rate: " + String.join(" ", command)
                            .replace(System.getProperty("java.class.path"), "<benchmarks/run.sh's classpath>"));
                    JvmUsage usage = JvmUsage.now();
                    FixedRateResult r = FixedRateResult.parse(run(command, isTapflow ? "Bearer " + key : null));
                    if (isTapflow) {
                        Bench.log("tapflow's JVM during it (and the load's warm-up): " + usage.since(r.completed()));
                    }
                    fixedTable.add(String.format("%-30s %-26s %10s %10s %9s %9s %9s %9s %8d", s.name(), system, Bench.rate(rate),
                            Bench.rate(r.achieved()), millis(r.p50()), millis(r.p99()), millis(r.p999()), millis(r.max()),
                            r.non2xx() + r.unfinished()));
                }
            }
            System.out.printf("%nclosed loop (wrk -t%d -c%d -d%ds)%n", threads, connections, seconds);
            System.out.printf("%-30s %-26s %12s %10s %10s %8s%n", "scenario", "system", "requests/s", "p50", "p99", "non-2xx");
            table.forEach(System.out::println);
            System.out.printf("%nfixed rate (open loop, %d connections, %d s, latency from the intended send time)%n", connections, seconds);
            System.out.printf("%-30s %-26s %10s %10s %9s %9s %9s %9s %8s%n", "scenario", "system", "asked/s", "achieved/s", "p50",
                    "p99", "p99.9", "max", "failed");
            fixedTable.forEach(System.out::println);
            System.out.println("load average after: " + Bench.loadAverage());
        } finally {
            if (platformatic != null) {
                platformatic.destroy();
                platformatic.waitFor();
            }
            Bench.closeQuietly(postgres, backends, tapflow);
        }
    }

    /** {@code customer(id, name, country, balance NUMERIC(12,2))} with an index on balance, filled by the server itself. */
    private static void fill(PostgresServer pg, int rows) throws Exception {
        try (Connection c = pg.connect(Bench.DATABASE); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS customer");
            s.execute("CREATE TABLE customer (id BIGINT PRIMARY KEY, name TEXT NOT NULL, country VARCHAR(2), balance NUMERIC(12,2) NOT NULL)");
            s.execute("INSERT INTO customer SELECT i, 'customer-' || i, (ARRAY['DE','FR','US','JP'])[1 + i % 4],"
                    + " round((i::bigint * 7919 % 100000) / 100.0, 2) FROM generate_series(1, " + rows + ") AS i");
            s.execute("CREATE INDEX customer_balance ON customer (balance)");
            s.execute("VACUUM ANALYZE customer");
        }
        Bench.log(String.format("filled customer with %,d rows", rows));
    }

    /** Installs Platformatic DB once into its own folder (npm), then starts it over the same database. */
    private static Process startPlatformatic(PostgresServer pg, int port, Path work) throws Exception {
        Path home = Path.of("target", "platformatic-db").toAbsolutePath();
        Path bin = home.resolve("node_modules/.bin/plt-db");
        if (!Files.isExecutable(bin)) {
            Files.createDirectories(home);
            Bench.log("installing @platformatic/db@" + PLATFORMATIC_VERSION + " into " + home);
            run(List.of("npm", "install", "--prefix", home.toString(), "--no-audit", "--no-fund", "@platformatic/db@" + PLATFORMATIC_VERSION));
        }
        Path dir = Files.createDirectories(work.resolve("platformatic"));
        String url = "postgres://" + pg.user() + ":" + pg.password() + "@127.0.0.1:" + pg.port() + "/" + Bench.DATABASE;
        Files.writeString(dir.resolve("platformatic.json"), """
                {"$schema": "https://schemas.platformatic.dev/@platformatic/db/%s.json",
                 "server": {"hostname": "127.0.0.1", "port": %d, "logger": {"level": "warn"}},
                 "db": {"connectionString": "%s", "graphql": false, "openapi": true},
                 "watch": false}
                """.formatted(PLATFORMATIC_VERSION, port, url));
        Process p = new ProcessBuilder(bin.toString(), "start").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(work.resolve("platformatic.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/customer/1")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return p;
            } catch (IOException e) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("platformatic db ended; see " + work.resolve("platformatic.log"));
                }
                Thread.sleep(250);
            }
        }
        p.destroy();
        throw new IllegalStateException("platformatic db did not answer within 60 s; see " + work.resolve("platformatic.log"));
    }

    /** Both systems must answer the scenario's request with a 200 before they are measured. */
    private static void check(String url, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** A wrk Lua script drawing a random id (1..rows) and balance threshold (0..999) for every request. */
    private static Path writeScript(Path dir, String pathTemplate, String key, int rows) throws IOException {
        String lua = """
                math.randomseed(os.time())
                %s
                request = function()
                  local path = "%s"
                  path = path:gsub("{id}", tostring(math.random(1, %d)))
                  path = path:gsub("{balance}", tostring(math.random(0, 999)))
                  return wrk.format("GET", path)
                end
                """.formatted(key == null ? "" : "wrk.headers[\"Authorization\"] = \"Bearer " + key + "\"", pathTemplate, rows);
        Path file = Files.createTempFile(dir, "scenario", ".lua");
        Files.writeString(file, lua);
        return file;
    }

    private static List<String> wrkCommand(String base, Path script, int threads, int connections, int seconds) {
        return List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency", "-s", script.toString(), base);
    }

    private static String system(boolean isTapflow) {
        return isTapflow ? "tapflow" : "platformatic-db " + PLATFORMATIC_VERSION;
    }

    private static String millis(long micros) {
        return String.format("%.2f ms", micros / 1000.0);
    }

    /** {@link FixedRateLoad} in a JVM of its own (as wrk is a process of its own), after a 5 s warm-up at the same rate. */
    private static List<String> fixedRateCommand(String base, String path, int rows, double rate, int seconds, int connections) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), FixedRateLoad.class.getName(), "--url=" + base, "--path=" + path,
                "--rows=" + rows, "--rate=" + (long) rate, "--seconds=" + seconds, "--warmupSeconds=5", "--connections=" + connections);
    }

    private static void wrk(String base, Path script, int threads, int connections, int seconds) throws Exception {
        run(wrkCommand(base, script, threads, connections, seconds));
    }

    private static String run(List<String> command) throws Exception {
        return run(command, null);
    }

    /** @param authorization the {@code Authorization} header for {@link FixedRateLoad}, passed in its environment */
    private static String run(List<String> command, String authorization) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (authorization != null) {
            builder.environment().put("LOAD_AUTHORIZATION", authorization);
        }
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    /** What {@link FixedRateLoad} printed: the rate achieved, latency percentiles in microseconds, failures. */
    record FixedRateResult(double achieved, long completed, long p50, long p99, long p999, long max, long non2xx, long unfinished) {
        static FixedRateResult parse(String out) {
            Matcher m = Pattern.compile("RESULT (.*)").matcher(out);
            if (!m.find()) {
                throw new IllegalStateException("unexpected FixedRateLoad output:\n" + out);
            }
            Map<String, String> v = new java.util.HashMap<>();
            for (String pair : m.group(1).trim().split(" ")) {
                v.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
            return new FixedRateResult(Double.parseDouble(v.get("achieved")), Long.parseLong(v.get("completed")), Long.parseLong(v.get("p50")), Long.parseLong(v.get("p99")),
                    Long.parseLong(v.get("p999")), Long.parseLong(v.get("max")), Long.parseLong(v.get("non2xx")),
                    Long.parseLong(v.get("unfinished")));
        }
    }

    /** What wrk printed: requests/s, the 50th and 99th latency percentiles (as wrk writes them), non-2xx responses. */
    record WrkResult(double requestsPerSecond, String p50, String p99, long errors) {
        private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
        private static final Pattern P50 = Pattern.compile("\\s50%\\s+(\\S+)");
        private static final Pattern P99 = Pattern.compile("\\s99%\\s+(\\S+)");
        private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");

        static WrkResult parse(String out) {
            Matcher errors = NON_2XX.matcher(out);
            return new WrkResult(Double.parseDouble(find(RPS, out)), find(P50, out), find(P99, out),
                    errors.find() ? Long.parseLong(errors.group(1)) : 0);
        }

        private static String find(Pattern p, String out) {
            Matcher m = p.matcher(out);
            if (!m.find()) {
                throw new IllegalStateException("unexpected wrk output:\n" + out);
            }
            return m.group(1);
        }
    }
}
