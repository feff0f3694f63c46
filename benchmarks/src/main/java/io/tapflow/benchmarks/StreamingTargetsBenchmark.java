package io.tapflow.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.LocalRunOptions;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.JsonValues;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.servers.Directories;
import io.tapflow.servers.ElasticsearchServer;
import io.tapflow.servers.KafkaServer;
import io.tapflow.servers.MariaDbServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Snapshot throughput into the streaming targets, on one set of real servers (MariaDB, Kafka 3.9, Elasticsearch
 * 7.10.2, each started here) in one run: a plain program that streams the table with JDBC and writes it with a
 * KafkaProducer (acks=all, idempotent, linger 5 ms: tapflow's producer settings) or with bulk requests of the same
 * size tapflow sends (1,000 actions, one request at a time), against a tapflow pipeline doing the same job, timed from
 * job start until the target holds every row (Kafka: the topic's end offsets; Elasticsearch: {@code _count} after a
 * refresh).
 *
 * <p>Settings ({@code --name=value}): rows (1000000), phases ("raw-kafka,tapflow-kafka,raw-es,tapflow-es"),
 * bulkActions (1000), timeoutMinutes (20), workDir (target/bench).
 */
public final class StreamingTargetsBenchmark {
    private static final long POLL_MS = 200;

    private final BenchConfig config;
    private final int rows;
    private final List<String> results = new ArrayList<>();
    /** The raw loop's time per target ("kafka", "es"), for the ratio of the tapflow phase that follows it. */
    private final Map<String, Long> rawNanos = new java.util.HashMap<>();
    private MariaDbServer mariaDb;
    private KafkaServer kafka;
    private ElasticsearchServer es;

    private StreamingTargetsBenchmark(BenchConfig config) {
        this.config = config;
        this.rows = config.integer("rows", 1_000_000);
    }

    public static void main(String[] args) {
        BenchConfig config = BenchConfig.parse(args);
        Bench.header("StreamingTargetsBenchmark", config);
        Bench.runAndExit(() -> new StreamingTargetsBenchmark(config).run());
    }

    private void run() throws Exception {
        Path work = config.workDir();
        Files.createDirectories(work);
        try {
            Bench.log("starting MariaDB, Kafka and Elasticsearch under " + work);
            mariaDb = MariaDbServer.start(work.resolve("mariadb"), true);
            Bench.tuneMariaDb(mariaDb, config.integer("bufferPoolMb", 1024));
            kafka = KafkaServer.start(work.resolve("kafka"));
            es = ElasticsearchServer.start(work.resolve("elasticsearch"));
            mariaDb.createDatabase(Bench.DATABASE);
            try (Connection c = mariaDb.connectAsAdmin(Bench.DATABASE)) {
                Bench.log(String.format("loading %,d rows into MariaDB", rows));
                BenchTable.createAndLoad(c, rows);
            }
            List<String> phases = List.of(config.string("phases", "raw-kafka,tapflow-kafka,raw-es,tapflow-es").split(","));
            if (phases.contains("raw-kafka")) {
                rawKafka();
            }
            if (phases.contains("tapflow-kafka")) {
                tapflow("kafka", DataSource.of("kafka", "bench-kafka").option("bootstrap-servers", kafka.bootstrapServers()),
                        () -> topicSize("bench-kafka-pipeline." + Bench.DATABASE + "." + BenchTable.NAME));
            }
            if (phases.contains("raw-es")) {
                rawElasticsearch();
            }
            if (phases.contains("tapflow-es")) {
                tapflow("es", DataSource.of("elasticsearch", "bench-es").option("hosts", es.url())
                                .option("index-prefix", "tapflow_"),
                        () -> documents("tapflow_" + BenchTable.NAME));
            }
            System.out.println();
            System.out.println("== results (" + String.format("%,d", rows) + " rows) ==");
            results.forEach(System.out::println);
            System.out.println("load average at the end: " + Bench.loadAverage());
        } finally {
            Bench.log("stopping servers");
            Bench.closeQuietly(mariaDb, kafka, es);
            Directories.deleteRecursively(work.resolve("checkpoints"));
        }
    }

    /** A way to ask a target how many rows it holds. */
    private interface Count {
        long get() throws Exception;
    }

    private void rawKafka() throws Exception {
        String topic = "raw-" + BenchTable.NAME;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        long start = System.nanoTime();
        Future<RecordMetadata> last = null;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            try (Connection c = mariaDb.connectAsAdmin(Bench.DATABASE); Statement s = streaming(c);
                 ResultSet rs = s.executeQuery(BenchTable.SELECT_ALL)) {
                while (rs.next()) {
                    Map<String, Object> row = row(rs);
                    // The shape of a debezium-json snapshot record, without its source block.
                    ObjectNode value = JsonNodeFactory.instance.objectNode().putNull("before");
                    value.set("after", JsonValues.row(row));
                    value.put("op", "r");
                    byte[] key = ("{\"id\":" + row.get("id") + "}").getBytes(StandardCharsets.UTF_8);
                    last = producer.send(new ProducerRecord<>(topic, key, value.toString().getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
            last.get();
        }
        rawNanos.put("kafka", System.nanoTime() - start);
        record("raw JDBC read + KafkaProducer", System.nanoTime() - start);
    }

    private void rawElasticsearch() throws Exception {
        int actions = config.integer("bulkActions", 1000);
        String index = "raw_" + BenchTable.NAME;
        HttpClient http = HttpClient.newHttpClient();
        long start = System.nanoTime();
        StringBuilder bulk = new StringBuilder();
        int pending = 0;
        try (Connection c = mariaDb.connectAsAdmin(Bench.DATABASE); Statement s = streaming(c);
             ResultSet rs = s.executeQuery(BenchTable.SELECT_ALL)) {
            while (rs.next()) {
                Map<String, Object> row = row(rs);
                bulk.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"").append(row.get("id"))
                        .append("\"}}\n").append(JsonValues.row(row)).append('\n');
                if (++pending == actions) {
                    sendBulk(http, bulk.toString());
                    bulk.setLength(0);
                    pending = 0;
                }
            }
        }
        if (pending > 0) {
            sendBulk(http, bulk.toString());
        }
        while (documents(index) < rows) {
            Thread.sleep(POLL_MS);
        }
        rawNanos.put("es", System.nanoTime() - start);
        record("raw JDBC read + bulk API (" + actions + " per request)", System.nanoTime() - start);
    }

    private void sendBulk(HttpClient http, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(es.url() + "/_bulk"))
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || response.body().startsWith("{\"took\"") && response.body().contains("\"errors\":true")) {
            throw new IllegalStateException("bulk request failed: " + response.body().substring(0, Math.min(500, response.body().length())));
        }
    }

    private void tapflow(String target, DataSource ds, Count count) throws Exception {
        DataSource mysql = Bench.mysqlSource(mariaDb);
        Pipeline pipeline = Pipeline.named("bench-" + target + "-pipeline").readFrom(mysql.table(BenchTable.NAME)).writeTo(ds);
        JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, mysql, ds));
        Path checkpoints = config.workDir().resolve("checkpoints").resolve(target);
        long start = System.nanoTime();
        try (RunningPipeline job = LocalPipelineRunner.start(plan, new LocalRunOptions(checkpoints, -1, null, SinkOptions.DEFAULTS))) {
            long deadline = System.nanoTime() + Duration.ofMinutes(config.integer("timeoutMinutes", 20)).toNanos();
            while (count.get() < rows) {
                Bench.checkRunning(job);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out: " + count.get() + " of " + rows + " rows in " + target);
                }
                Thread.sleep(POLL_MS);
            }
            long nanos = System.nanoTime() - start;
            record("tapflow pipeline -> " + target + " (" + (target.equals("kafka") ? "debezium-json" : "index mode") + ")",
                    nanos);
            if (rawNanos.containsKey(target)) {
                double ratio = (double) rawNanos.get(target) / nanos;
                results.add(String.format("  tapflow / raw loop -> %s: %.2fx (aim >= 0.8: %s)", target, ratio,
                        ratio >= 0.8 ? "met" : "NOT met"));
            }
        }
    }

    private static Statement streaming(Connection c) throws Exception {
        Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        s.setFetchSize(Integer.MIN_VALUE); // Connector/J streams rows one by one
        return s;
    }

    private static Map<String, Object> row(ResultSet rs) throws Exception {
        ResultSetMetaData md = rs.getMetaData();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            Object v = rs.getObject(i);
            row.put(md.getColumnLabel(i), v instanceof java.sql.Timestamp t ? t.toLocalDateTime() : v);
        }
        return row;
    }

    private long topicSize(String topic) {
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private long documents(String index) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        http.send(HttpRequest.newBuilder(URI.create(es.url() + "/" + index + "/_refresh")).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        String body = http.send(HttpRequest.newBuilder(URI.create(es.url() + "/" + index + "/_count")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        int at = body.indexOf("\"count\":");
        return at < 0 ? 0 : Long.parseLong(body.substring(at + 8, body.indexOf(',', at)));
    }

    private void record(String name, long nanos) {
        double seconds = nanos / 1e9;
        String line = String.format("%-55s %8.1f s  %,10.0f rows/s", name, seconds, rows / seconds);
        results.add(line);
        Bench.log(line);
    }
}
