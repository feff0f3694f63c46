package io.tapflow.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.LocalRunOptions;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.servers.Directories;
import io.tapflow.servers.ElasticsearchServer;
import io.tapflow.servers.KafkaServer;
import io.tapflow.servers.MariaDbServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Change latency from the MariaDB commit into the streaming targets, under the steady load of {@link ChangeLoad}
 * (whose achieved rate is reported beside every figure; no aim is judged when it fell short):
 * <ul>
 *   <li>Kafka: until the broker appended the change, which is when it acknowledges it (one broker, acks=all). The
 *       topic is created before the pipeline with {@code message.timestamp.type=LogAppendTime}, so each message's
 *       timestamp is the broker's append time; latency = that − {@code after.client_ts}. Millisecond resolution.</li>
 *   <li>Elasticsearch: until the document is searchable. A poller reads the index's refresh count every
 *       {@code esPollMs} (10); when a refresh happened it searches for the documents with a newer {@code client_ts}
 *       and takes the moment it saw the refresh as their arrival, so a figure is late by up to one poll interval. The
 *       index's {@code refresh_interval} ({@code esRefreshInterval}, 1s) is set before the load and printed with the
 *       results. A change overwritten by a later change to the same document before a refresh made it searchable is
 *       never searchable itself and is not measured (the measured share says how many were).</li>
 * </ul>
 *
 * <p>Settings: targets ("kafka,es"), rates ("5000"), esRefreshInterval ("1s"), esPollMs (10), esLookbackMs (500), rows (20000), and those of
 * {@link ChangeLoad}. Each target gets its own pipeline (parallelism 1, default options), run one after the other.
 */
public final class StreamingLatencyBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PIPELINE = "latency";

    private final BenchConfig config;
    private final int rows;
    private final List<String> report = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private MariaDbServer mariaDb;
    private KafkaServer kafka;
    private ElasticsearchServer es;
    private ChangeLoad load;

    private StreamingLatencyBenchmark(BenchConfig config) {
        this.config = config;
        this.rows = config.integer("rows", 20_000);
    }

    public static void main(String[] args) {
        BenchConfig config = BenchConfig.parse(args);
        Bench.header("StreamingLatencyBenchmark", config);
        Bench.runAndExit(() -> new StreamingLatencyBenchmark(config).run());
    }

    private void run() throws Exception {
        Path work = config.workDir();
        Files.createDirectories(work);
        List<String> targets = List.of(config.string("targets", "kafka,es").split(","));
        try {
            Bench.log("starting MariaDB" + (targets.contains("kafka") ? ", Kafka" : "")
                    + (targets.contains("es") ? ", Elasticsearch" : "") + " under " + work);
            mariaDb = MariaDbServer.start(work.resolve("mariadb"), true);
            mariaDb.createDatabase(Bench.DATABASE);
            load = new ChangeLoad(mariaDb, rows);
            load.createTable();
            if (targets.contains("kafka")) {
                kafka = KafkaServer.start(work.resolve("kafka"));
                kafka();
            }
            if (targets.contains("es")) {
                es = ElasticsearchServer.start(work.resolve("elasticsearch"));
                elasticsearch();
            }
            System.out.println();
            System.out.println("Change latency MariaDB 10.11 → tapflow (Flink 1.20, parallelism 1) → Kafka 3.9 / Elasticsearch 7.10.2");
            System.out.printf("%-28s %s%n", "target", ChangeLoad.header());
            report.forEach(System.out::println);
            System.out.println("load average at the end: " + Bench.loadAverage());
        } finally {
            Bench.log("stopping servers");
            Bench.closeQuietly(mariaDb, kafka, es);
            Directories.deleteRecursively(work.resolve("checkpoints"));
        }
    }

    private RunningPipeline start(DataSource target) throws Exception {
        DataSource mysql = Bench.mysqlSource(mariaDb);
        Pipeline pipeline = Pipeline.named(PIPELINE).readFrom(mysql.table(ChangeLoad.TABLE)).writeTo(target);
        JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, mysql, target));
        Bench.log("starting the pipeline into " + target.type() + " (parallelism 1, default options)");
        return LocalPipelineRunner.start(plan, new LocalRunOptions(config.workDir().resolve("checkpoints").resolve(target.type()),
                -1, null, SinkOptions.DEFAULTS));
    }

    // ---------------------------------------------------------------- Kafka

    private void kafka() throws Exception {
        String topic = PIPELINE + "." + Bench.DATABASE + "." + ChangeLoad.TABLE;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of(
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")))).all().get();
        }
        DataSource target = DataSource.of("kafka", "bench-kafka").option("bootstrap-servers", kafka.bootstrapServers());
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("max.poll.records", "10000");
        try (RunningPipeline job = start(target);
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            Bench.await(300_000, 200, () -> consumer.endOffsets(List.of(partition)).get(partition) >= rows, job, "the snapshot");
            long probe = System.currentTimeMillis();
            load.probe(probe);
            consumer.seekToBeginning(List.of(partition));
            Bench.await(120_000, 0, () -> kafkaRecords(consumer).stream().anyMatch(seen -> seen[0] == probe), job,
                    "the first streamed change");
            Bench.log("streaming: a probe change arrived");
            for (int rate : config.integers("rates", "5000")) {
                ChangeLoad.Phase phase = load.run(config, rate, job);
                List<Long> micros = new ArrayList<>();
                AtomicLong lastSeen = new AtomicLong();
                Bench.await(180_000, 0, () -> {
                    for (long[] seen : kafkaRecords(consumer)) {
                        lastSeen.accumulateAndGet(seen[0], Math::max);
                        if (seen[0] >= phase.windowStart() && seen[0] < phase.windowEnd()) {
                            micros.add((seen[1] - seen[0]) * 1000);
                        }
                    }
                    return lastSeen.get() >= phase.lastClientTs();
                }, job, "the last change of the phase");
                result("kafka (broker ack)", phase, micros, "p99 < 100 ms", 100_000);
            }
        }
    }

    /** One poll: each debezium-json change message as {client_ts of its row, broker append time}. */
    private static List<long[]> kafkaRecords(KafkaConsumer<byte[], byte[]> consumer) {
        List<long[]> seen = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            try {
                JsonNode after = JSON.readTree(r.value()).path("after");
                if (after.has("client_ts")) {
                    seen.add(new long[] {after.path("client_ts").asLong(), r.timestamp()});
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException("not a JSON message at offset " + r.offset(), e);
            }
        }
        return seen;
    }

    // ---------------------------------------------------------------- Elasticsearch

    private void elasticsearch() throws Exception {
        String index = ChangeLoad.TABLE;
        String refresh = config.string("esRefreshInterval", "1s");
        int pollMs = config.integer("esPollMs", 10);
        int lookbackMs = config.integer("esLookbackMs", 500);
        DataSource target = DataSource.of("elasticsearch", "bench-es").option("hosts", es.url());
        try (RunningPipeline job = start(target)) {
            // Planning created the index; the refresh interval is set before any change is measured.
            es("PUT", "/" + index + "/_settings", "{\"index\":{\"refresh_interval\":\"" + refresh + "\"}}");
            Bench.await(300_000, 500, () -> check(() -> count(index) >= rows), job, "the snapshot");
            long probe = System.currentTimeMillis();
            load.probe(probe);
            Bench.await(120_000, 100, () -> check(() -> !search(index, probe).isEmpty()), job, "the first streamed change");
            Bench.log("streaming: a probe change arrived; index refresh_interval " + refresh + ", refresh count polled every " + pollMs + " ms");
            for (int rate : config.integers("rates", "5000")) {
                AtomicBoolean loading = new AtomicBoolean(true);
                AtomicLong lastSeen = new AtomicLong();
                AtomicLong stopAt = new AtomicLong(Long.MAX_VALUE);
                List<long[]> arrivals = java.util.Collections.synchronizedList(new ArrayList<>());
                List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
                // Searches once per refresh of the index (seen in its stats, polled every pollMs): what a refresh made
                // searchable arrived when the poll saw the refresh. Each (document, client_ts) counts once; the search
                // looks back esLookbackMs before the newest client_ts seen, for changes written out of client_ts order.
                Thread poller = new Thread(() -> {
                    Set<String> seen = new HashSet<>();
                    long since = System.currentTimeMillis();
                    try {
                        long refreshes = refreshes(index);
                        while (loading.get() || lastSeen.get() < stopAt.get()) {
                            long now = refreshes(index);
                            long observedAt = System.currentTimeMillis();
                            if (now != refreshes) {
                                refreshes = now;
                                List<long[]> hits = search(index, since - lookbackMs);
                                for (long[] hit : hits) {
                                    if (seen.add(hit[0] + "@" + hit[1])) {
                                        lastSeen.accumulateAndGet(hit[1], Math::max);
                                        arrivals.add(new long[] {hit[1], observedAt});
                                    }
                                }
                                since = Math.max(since, lastSeen.get());
                            }
                            Thread.sleep(pollMs);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "es-poller");
                poller.setDaemon(true);
                poller.start();
                ChangeLoad.Phase phase = load.run(config, rate, job);
                stopAt.set(phase.lastClientTs());
                loading.set(false);
                poller.join(180_000);
                if (!failures.isEmpty()) {
                    throw new IllegalStateException("the search poller failed", failures.get(0));
                }
                if (poller.isAlive()) {
                    throw new IllegalStateException("the last change of the phase was not searchable within 180 s");
                }
                List<Long> micros = new ArrayList<>();
                synchronized (arrivals) {
                    for (long[] a : arrivals) {
                        if (a[0] >= phase.windowStart() && a[0] < phase.windowEnd()) {
                            micros.add((a[1] - a[0]) * 1000);
                        }
                    }
                }
                result("es (searchable, refresh " + refresh + ")", phase, micros, null, 0);
            }
        }
    }

    /**
     * The documents whose client_ts is at least {@code since}, as {id, client_ts}, oldest first: up to 10,000
     * (the poller runs often enough to stay under that at the benchmark's rates).
     */
    private List<long[]> search(String index, long since) throws Exception {
        JsonNode answer = es("POST", "/" + index + "/_search", "{\"size\":10000,\"_source\":[\"id\",\"client_ts\"],"
                + "\"query\":{\"range\":{\"client_ts\":{\"gte\":" + since + "}}},\"sort\":[{\"client_ts\":\"asc\"}]}");
        List<long[]> hits = new ArrayList<>();
        if (answer.path("hits").path("hits").size() == 10_000) {
            Bench.log("  warning: a search returned 10,000 documents, the most it may; lower esLookbackMs or the rate");
        }
        answer.path("hits").path("hits").forEach(h -> hits.add(new long[] {h.path("_source").path("id").asLong(),
                h.path("_source").path("client_ts").asLong()}));
        return hits;
    }

    /** How many refreshes have made writes searchable so far (ES 7.10's external_total; total where older). */
    private long refreshes(String index) throws Exception {
        JsonNode refresh = es("GET", "/" + index + "/_stats/refresh", null).path("indices").path(index).path("total").path("refresh");
        return refresh.has("external_total") ? refresh.path("external_total").asLong() : refresh.path("total").asLong();
    }

    private long count(String index) throws Exception {
        es("POST", "/" + index + "/_refresh", null);
        return es("GET", "/" + index + "/_count", null).path("count").asLong();
    }

    private JsonNode es(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(es.url() + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " failed: HTTP " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** A condition for {@link Bench#await} from calls that throw more than SQLException. */
    private static boolean check(java.util.concurrent.Callable<Boolean> condition) {
        try {
            return condition.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void result(String target, ChangeLoad.Phase phase, List<Long> micros, String aim, long aimMicros) {
        long[] latencies = micros.stream().mapToLong(Long::longValue).toArray();
        String line = String.format("%-28s %s", target, ChangeLoad.line(phase, latencies));
        report.add(line + "  " + phase.cpu());
        Bench.log("  " + line.trim().replaceAll(" +", " ") + "  (rate achieved committed measured p50 p95 p99 max mean)");
        if (aim != null && phase.targetRate() >= 5000) {
            long p99 = Bench.percentile(Bench.sorted(latencies), 99);
            report.add(" ".repeat(29) + phase.verdict(aim, p99 >= 0 && p99 < aimMicros));
        } else if (!phase.rateReached()) {
            report.add(" ".repeat(29) + phase.verdict(null, false));
        }
    }
}
