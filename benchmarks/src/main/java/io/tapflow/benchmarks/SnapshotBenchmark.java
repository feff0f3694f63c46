package io.tapflow.benchmarks;

import io.tapflow.servers.Directories;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.PipelineSettings;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.connector.SourceFactory;
import io.tapflow.flink.connector.SourceTables;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.ChangeEventTypeInfo;
import io.tapflow.flink.job.FlinkJobConfig;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.LocalRunOptions;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.PostgresServer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;
import org.postgresql.copy.PGCopyOutputStream;
import org.postgresql.core.BaseConnection;

/**
 * Snapshot throughput, MariaDB → PostgreSQL, on one pair of real servers in one run: how fast the source table can be
 * read at all, how fast a plain program copies it (streaming read + COPY, and streaming read + batched upsert), and
 * how fast a tapflow pipeline does the same job, timed from job start until the target holds every row.
 *
 * <p>Settings ({@code --name=value} or {@code -Dbench.name=value}): rows (1000000), parallelism (list, "1,2"),
 * phases (which measurements, "read,copy,upsert,tapflow,source-only"),
 * upsertBatch (5000), exactPollFrom (0.9: below this fraction of the rows the
 * poller reads PostgreSQL's insert counter, above it runs {@code count(*)} every 200 ms; 0 = count(*) throughout),
 * bufferPoolMb (1024), timeoutMinutes (20), workDir (target/bench).
 */
public final class SnapshotBenchmark {
    private static final long POLL_MS = 200;

    private final BenchConfig config;
    private final int rows;
    private final List<Result> results = new ArrayList<>();
    private MariaDbServer mariaDb;
    private PostgresServer postgres;
    private String sourceChecksum;
    private double copyBytesPerRow;
    private CpuMonitor cpu;

    private SnapshotBenchmark(BenchConfig config) {
        this.config = config;
        this.rows = config.integer("rows", 1_000_000);
    }

    public static void main(String[] args) {
        BenchConfig config = BenchConfig.parse(args);
        Bench.header("SnapshotBenchmark", config);
        Bench.runAndExit(() -> new SnapshotBenchmark(config).run());
    }

    private record Result(String name, long rows, double seconds, String note) {
        double rate() {
            return rows / seconds;
        }
    }

    private void run() throws Exception {
        Path work = config.workDir();
        Files.createDirectories(work);
        cpu = new CpuMonitor(work);
        try {
            Bench.log("starting MariaDB (binlog on) and PostgreSQL under " + work);
            mariaDb = MariaDbServer.start(work.resolve("mariadb"), true);
            postgres = PostgresServer.start(work.resolve("postgres"));
            Bench.tuneMariaDb(mariaDb, config.integer("bufferPoolMb", 1024));
            Bench.log("MariaDB on port " + mariaDb.port() + ", PostgreSQL on port " + postgres.port());
            setUp();

            List<String> phases = List.of(config.string("phases", "read,copy,upsert,tapflow,source-only").split(","));
            if (phases.contains("read")) {
                rawRead();
            }
            if (phases.contains("copy")) {
                rawCopy();
            }
            if (phases.contains("upsert")) {
                rawUpsert();
            }
            if (phases.contains("tapflow")) {
                for (int p : config.integers("parallelism", "1,2")) {
                    tapflow(p);
                }
            }
            if (phases.contains("source-only")) {
                for (int p : config.integers("parallelism", "1,2")) {
                    sourceOnly(p);
                }
            }
            report();
        } finally {
            Bench.log("stopping servers");
            Bench.closeQuietly(mariaDb, postgres);
            Directories.deleteRecursively(work.resolve("checkpoints"));
        }
    }

    private void setUp() throws Exception {
        mariaDb.createDatabase(Bench.DATABASE);
        postgres.createDatabase(Bench.DATABASE);
        try (Connection c = mariaDb.connectAsAdmin(Bench.DATABASE); Statement s = c.createStatement()) {
            Bench.log(String.format("loading %,d rows into MariaDB", rows));
            long start = System.nanoTime();
            BenchTable.createAndLoad(c, rows);
            Bench.log(String.format("loaded in %.1f s", (System.nanoTime() - start) / 1e9));
            s.execute("ANALYZE TABLE " + BenchTable.NAME);
            sourceChecksum = checksum(c);
            try (ResultSet rs = s.executeQuery("SELECT data_length, table_rows FROM information_schema.tables "
                    + "WHERE table_schema = '" + Bench.DATABASE + "' AND table_name = '" + BenchTable.NAME + "'")) {
                rs.next();
                Bench.log(String.format("source table: InnoDB data_length %,d bytes (~%d bytes/row)",
                        rs.getLong(1), rs.getLong(1) / Math.max(1, rows)));
            }
        }
        Bench.quiesce(mariaDb);
    }

    private Connection sourceReader() throws SQLException {
        // A streaming result set: rows come as the server sends them, with no client-side buffering of the table.
        return DriverManager.getConnection(mariaDb.jdbcUrl(Bench.DATABASE), mariaDb.cdcUser(), mariaDb.cdcPassword());
    }

    private static Statement streaming(Connection c) throws SQLException {
        Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        s.setFetchSize(Integer.MIN_VALUE);
        return s;
    }

    /** (a) Streaming read of every row, every column decoded to its Java type. */
    private void rawRead() throws Exception {
        Bench.log("(a) raw JDBC streaming read");
        long count = 0;
        long sink = 0;
        double seconds;
        String load;
        CpuMonitor.Sample cpuStart = cpu.sample();
        long start = System.nanoTime();
        try (Connection c = sourceReader(); Statement s = streaming(c); ResultSet rs = s.executeQuery(BenchTable.SELECT_ALL)) {
            while (rs.next()) {
                sink += rs.getInt(1);
                sink += rs.getLong(2);
                sink += rs.getString(3).length();
                String email = rs.getString(4);
                sink += email == null ? 0 : email.length();
                BigDecimal amount = rs.getBigDecimal(5);
                sink += amount == null ? 0 : amount.scale();
                sink += (long) rs.getDouble(6);
                sink += rs.getObject(7, LocalDateTime.class).getNano();
                LocalDateTime updated = rs.getObject(8, LocalDateTime.class);
                sink += updated == null ? 0 : updated.getSecond();
                String note = rs.getString(9);
                sink += note == null ? 0 : note.length();
                sink += rs.getString(10).length();
                count++;
            }
            seconds = (System.nanoTime() - start) / 1e9;
            load = cpu.since(cpuStart);
        }
        check(count == rows, "raw read saw " + count + " rows");
        results.add(new Result("(a) raw JDBC streaming read (MariaDB only)", count, seconds, load + "; value hash " + (sink & 0xffff)));
        Bench.log(String.format("    %,d rows in %.2f s = %s rows/s; %s", count, seconds, Bench.rate(count / seconds), load));
    }

    /** (b) Streaming read + COPY FROM STDIN (text format) into an empty table with the same definition. */
    private void rawCopy() throws Exception {
        String table = "bench_copy";
        createRawTarget(table);
        Bench.log("(b) raw copy: streaming read + COPY " + table + " FROM STDIN");
        long count = 0;
        long bytes;
        double seconds;
        String load;
        CpuMonitor.Sample cpuStart = cpu.sample();
        long start = System.nanoTime();
        try (Connection src = sourceReader(); Statement s = streaming(src); ResultSet rs = s.executeQuery(BenchTable.SELECT_ALL);
             Connection pg = postgres.connect(Bench.DATABASE)) {
            try (Statement tz = pg.createStatement()) {
                // MariaDB runs in UTC; its TIMESTAMP text carries no offset.
                tz.execute("SET TimeZone = 'UTC'");
            }
            String sql = "COPY " + table + " (" + String.join(", ", BenchTable.COLUMNS) + ") FROM STDIN";
            PGCopyOutputStream out = new PGCopyOutputStream(pg.unwrap(BaseConnection.class), sql, 1 << 20);
            CountingWriter counting = new CountingWriter(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16));
            int columns = BenchTable.COLUMNS.size();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    if (i > 1) {
                        counting.write('\t');
                    }
                    writeCopyText(counting, rs.getString(i));
                }
                counting.write('\n');
                count++;
            }
            counting.flush();
            out.endCopy();
            bytes = counting.chars;
            seconds = (System.nanoTime() - start) / 1e9;
            load = cpu.since(cpuStart);
        }
        copyBytesPerRow = (double) bytes / Math.max(1, count);
        verify(table, count);
        results.add(new Result("(b) raw copy: streaming read + COPY FROM STDIN", count, seconds,
                load + String.format("; %.0f bytes/row as COPY text", copyBytesPerRow)));
        Bench.log(String.format("    %,d rows in %.2f s = %s rows/s (%.0f bytes/row as COPY text); %s", count, seconds,
                Bench.rate(count / seconds), copyBytesPerRow, load));
        dropTarget(table);
    }

    /** (c) Streaming read + INSERT ... ON CONFLICT DO UPDATE in batches, reWriteBatchedInserts=true, a commit per batch. */
    private void rawUpsert() throws Exception {
        String table = "bench_upsert";
        createRawTarget(table);
        int batch = config.integer("upsertBatch", 5000);
        Bench.log("(c) raw copy: streaming read + batched upsert into " + table + " (batch " + batch + ")");
        String cols = String.join(", ", BenchTable.COLUMNS);
        String sql = "INSERT INTO " + table + " (" + cols + ") VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET "
                + BenchTable.COLUMNS.stream().skip(1).map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
        long count = 0;
        double seconds;
        String load;
        CpuMonitor.Sample cpuStart = cpu.sample();
        long start = System.nanoTime();
        try (Connection src = sourceReader(); Statement s = streaming(src); ResultSet rs = s.executeQuery(BenchTable.SELECT_ALL);
             Connection pg = DriverManager.getConnection(postgres.jdbcUrl(Bench.DATABASE) + "?reWriteBatchedInserts=true",
                     postgres.user(), postgres.password());
             PreparedStatement ps = pg.prepareStatement(sql)) {
            pg.setAutoCommit(false);
            while (rs.next()) {
                ps.setInt(1, rs.getInt(1));
                ps.setLong(2, rs.getLong(2));
                ps.setString(3, rs.getString(3));
                ps.setString(4, rs.getString(4));
                ps.setBigDecimal(5, rs.getBigDecimal(5));
                ps.setDouble(6, rs.getDouble(6));
                ps.setObject(7, rs.getObject(7, LocalDateTime.class));
                LocalDateTime updated = rs.getObject(8, LocalDateTime.class);
                ps.setObject(8, updated == null ? null : updated.atOffset(ZoneOffset.UTC));
                ps.setString(9, rs.getString(9));
                ps.setString(10, rs.getString(10));
                ps.addBatch();
                if (++count % batch == 0) {
                    ps.executeBatch();
                    pg.commit();
                }
            }
            ps.executeBatch();
            pg.commit();
            seconds = (System.nanoTime() - start) / 1e9;
            load = cpu.since(cpuStart);
        }
        verify(table, count);
        results.add(new Result("(c) raw copy: streaming read + batched upsert", count, seconds, load + "; batch " + batch));
        Bench.log(String.format("    %,d rows in %.2f s = %s rows/s; %s", count, seconds, Bench.rate(count / seconds), load));
        dropTarget(table);
    }

    /** (d) A tapflow pipeline, planned (the target table is created) then started; timed from start until every row is there. */
    private void tapflow(int parallelism) throws Exception {
        String table = "bench_tapflow_p" + parallelism;
        DataSource mysql = Bench.mysqlSource(mariaDb);
        DataSource pg = Bench.postgresTarget(postgres);
        Pipeline pipeline = Pipeline.named("snapshot-p" + parallelism)
                .readFrom(mysql.table(BenchTable.NAME))
                .writeTo(pg.table(table))
                .parallelism(parallelism);
        JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, mysql, pg));
        pgCheckpoint();
        Path checkpoints = config.workDir().resolve("checkpoints").resolve(table);
        LocalRunOptions options = new LocalRunOptions(checkpoints, -1, null, SinkOptions.DEFAULTS);
        Bench.log("(d) tapflow pipeline MariaDB → PostgreSQL " + table + ", parallelism " + parallelism);
        double exactFrom = Double.parseDouble(config.string("exactPollFrom", "0.9"));
        long timeoutMs = config.integer("timeoutMinutes", 20) * 60_000L;
        RunningPipeline job = null;
        long firstRowsAt = -1;
        long lastCountMs = 0;
        CpuMonitor.Sample cpuStart = cpu.sample();
        long start = System.nanoTime();
        long done;
        String load;
        try (Connection c = postgres.connect(Bench.DATABASE)) {
            job = LocalPipelineRunner.start(plan, options);
            long nextExactCount = 0;
            long nextProgress = start + 10_000_000_000L;
            while (true) {
                long inserted = Bench.queryLong(c, "SELECT coalesce(sum(n_tup_ins), 0) FROM pg_stat_user_tables WHERE relname = '" + table + "'");
                long now = System.nanoTime();
                if (firstRowsAt < 0 && inserted > 0) {
                    firstRowsAt = now;
                }
                // count(*) over a large table costs CPU the pipeline also needs: run it once the insert counter (which
                // PostgreSQL publishes with up to 0.5 s delay) says the end is near, and every 5 s as a fallback.
                if (inserted >= exactFrom * rows || now >= nextExactCount) {
                    long t = System.nanoTime();
                    long count = Bench.queryLong(c, "SELECT count(*) FROM " + table);
                    lastCountMs = (System.nanoTime() - t) / 1_000_000;
                    nextExactCount = System.nanoTime() + 5_000_000_000L;
                    if (count >= rows) {
                        done = t;
                        load = cpu.since(cpuStart);
                        Bench.log("    " + cpu.busiestThreads(cpuStart, 6));
                        break;
                    }
                }
                if (now >= nextProgress) {
                    Bench.log(String.format("    %,d rows inserted after %.0f s", inserted, (now - start) / 1e9));
                    nextProgress += 10_000_000_000L;
                }
                Bench.checkRunning(job);
                cpu.observe();
                if (now - start > timeoutMs * 1_000_000L) {
                    throw new IllegalStateException("tapflow did not copy " + rows + " rows in " + timeoutMs / 60000 + " min");
                }
                Thread.sleep(POLL_MS);
            }
        } finally {
            if (job != null) {
                job.cancel(Duration.ofSeconds(60));
            }
        }
        double seconds = (done - start) / 1e9;
        double startup = firstRowsAt < 0 ? Double.NaN : (firstRowsAt - start) / 1e9;
        verify(table, rows);
        results.add(new Result("(d) tapflow pipeline, parallelism " + parallelism, rows, seconds,
                load + String.format("; first rows visible after ~%.1f s; last count(*) %d ms", startup, lastCountMs)));
        Bench.log(String.format("    %,d rows in %.2f s = %s rows/s (first rows visible after ~%.1f s); %s", rows, seconds,
                Bench.rate(rows / seconds), startup, load));
        dropTarget(table);
        Directories.deleteRecursively(checkpoints);
    }

    /**
     * (e) Diagnostic: tapflow's source alone (Flink CDC MySQL source and tapflow's change-event deserializer, the same
     * Flink settings) into a sink that only counts, to separate reading from writing.
     */
    private void sourceOnly(int parallelism) throws Exception {
        DataSource mysql = Bench.mysqlSource(mariaDb).resolved();
        SourceFactory factory = ConnectorFactories.source(mysql.type());
        SourceTables tables = factory.inspect(mysql, List.of(BenchTable.NAME), List.of());
        Path checkpoints = config.workDir().resolve("checkpoints").resolve("source-only-p" + parallelism);
        Configuration conf = FlinkJobConfig.forPipeline(PipelineSettings.DEFAULTS.withParallelism(parallelism), checkpoints);
        conf.setString("taskmanager.numberOfTaskSlots", String.valueOf(parallelism));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        env.fromSource(factory.createSource(mysql, tables, List.of(), "snapshot-benchmark", parallelism), WatermarkStrategy.noWatermarks(),
                        "source", ChangeEventTypeInfo.INSTANCE).setParallelism(parallelism)
                .addSink(new CountingSink()).name("count").setParallelism(parallelism);
        Bench.log("(e) diagnostic: tapflow's MySQL CDC source alone into a counting sink, parallelism " + parallelism);
        CountingSink.COUNT.set(0);
        CpuMonitor.Sample cpuStart = cpu.sample();
        long start = System.nanoTime();
        JobClient client = env.executeAsync("source-only-p" + parallelism);
        long done;
        String load;
        try {
            while (CountingSink.COUNT.get() < rows) {
                if (client.getJobStatus().get().isTerminalState()) {
                    client.getJobExecutionResult().get();
                    throw new IllegalStateException("source-only job ended early");
                }
                if (System.nanoTime() - start > config.integer("timeoutMinutes", 20) * 60_000_000_000L) {
                    throw new IllegalStateException("source-only job did not read " + rows + " rows in time");
                }
                cpu.observe();
                Thread.sleep(POLL_MS);
            }
            done = System.nanoTime();
            load = cpu.since(cpuStart);
            Bench.log("    " + cpu.busiestThreads(cpuStart, 6));
        } finally {
            client.cancel().get(60, TimeUnit.SECONDS);
            client.getJobExecutionResult().handle((r, t) -> null).get(60, TimeUnit.SECONDS);
            Directories.deleteRecursively(checkpoints);
        }
        double seconds = (done - start) / 1e9;
        results.add(new Result("(e) diagnostic: tapflow source only, parallelism " + parallelism, rows, seconds, load));
        Bench.log(String.format("    %,d rows in %.2f s = %s rows/s; %s", rows, seconds, Bench.rate(rows / seconds), load));
    }

    /** Counts events; the local mini cluster runs in this JVM, so a static counter is visible to the benchmark. */
    private static final class CountingSink implements SinkFunction<ChangeEvent> {
        private static final long serialVersionUID = 1L;
        static final AtomicLong COUNT = new AtomicLong();

        @Override
        public void invoke(ChangeEvent value, Context context) {
            COUNT.incrementAndGet();
        }
    }

    /** Creates an empty table exactly like the one tapflow plans for the source (same types, same primary key). */
    private void createRawTarget(String table) throws Exception {
        DataSource mysql = Bench.mysqlSource(mariaDb);
        DataSource pg = Bench.postgresTarget(postgres);
        // Planning creates the table tapflow would write to; the raw copies use exactly that definition.
        JobPlanner.plan(JobSpec.of(Pipeline.named("ddl").readFrom(mysql.table(BenchTable.NAME)).writeTo(pg.table(table)), mysql, pg));
        pgCheckpoint();
    }

    /** Writes back PostgreSQL's dirty buffers, so that one measurement does not pay for the previous one's writes. */
    private void pgCheckpoint() throws SQLException {
        try (Connection c = postgres.connect(Bench.DATABASE); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        }
    }

    private void dropTarget(String table) throws SQLException {
        try (Connection c = postgres.connect(Bench.DATABASE); Statement s = c.createStatement()) {
            s.execute("DROP TABLE " + table);
        }
    }

    private static String checksum(Connection c) throws SQLException {
        return Bench.queryString(c, "SELECT concat(count(*), '/', sum(id), '/', sum(account_id), '/', sum(amount), '/', "
                + "sum(length(note)), '/', sum(updated_at IS NULL)) FROM " + BenchTable.NAME);
    }

    /** The target holds the source's rows: same count and the same sums over several columns. */
    private void verify(String table, long expectedRows) throws SQLException {
        try (Connection c = postgres.connect(Bench.DATABASE)) {
            String target = Bench.queryString(c, "SELECT concat(count(*), '/', sum(id), '/', sum(account_id), '/', sum(amount), '/', "
                    + "sum(length(note)), '/', sum(CASE WHEN updated_at IS NULL THEN 1 ELSE 0 END)) FROM " + table);
            check(target.equals(sourceChecksum), table + " differs from the source: " + target + " vs " + sourceChecksum);
            check(target.startsWith(expectedRows + "/"), table + " has the wrong row count: " + target);
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    private void report() {
        Result copy = results.stream().filter(r -> r.name().startsWith("(b)")).findFirst()
                .orElse(new Result("no COPY run", 1, Double.POSITIVE_INFINITY, ""));
        System.out.println();
        System.out.printf("Snapshot of %,d rows (%.0f bytes/row as COPY text), MariaDB 10.11 → PostgreSQL 14%n", rows, copyBytesPerRow);
        System.out.printf("%-52s %8s %10s %9s  %s%n", "method", "seconds", "rows/s", "vs COPY", "note");
        for (Result r : results) {
            System.out.printf("%-52s %8.2f %10s %9s  %s%n", r.name(), r.seconds(), Bench.rate(r.rate()),
                    copy.rate() > 0 ? String.format("%.2fx", r.rate() / copy.rate()) : "-", r.note());
        }
        System.out.println();
        results.stream().filter(r -> r.name().startsWith("(d)") && copy.rate() > 0).forEach(r -> System.out.printf(
                "ratio tapflow / raw COPY at %s: %.2f (aim >= 0.70: %s)%n", r.name().substring(r.name().indexOf("parallelism")),
                r.rate() / copy.rate(), r.rate() / copy.rate() >= 0.7 ? "met" : "NOT met"));
    }

    /** COPY text format: backslash, tab, newline and carriage return escaped; NULL as \N. */
    private static void writeCopyText(Writer out, String value) throws IOException {
        if (value == null) {
            out.write("\\N");
            return;
        }
        int n = value.length();
        int i = 0;
        while (i < n && value.charAt(i) != '\\' && value.charAt(i) > '\r') {
            i++;
        }
        if (i == n) {
            out.write(value);
            return;
        }
        for (i = 0; i < n; i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.write("\\\\");
                case '\t' -> out.write("\\t");
                case '\n' -> out.write("\\n");
                case '\r' -> out.write("\\r");
                default -> out.write(ch);
            }
        }
    }

    /** Counts characters written (all ASCII here, so also bytes). */
    private static final class CountingWriter extends Writer {
        private final Writer out;
        long chars;

        CountingWriter(Writer out) {
            this.out = out;
        }

        @Override
        public void write(int c) throws IOException {
            chars++;
            out.write(c);
        }

        @Override
        public void write(String s) throws IOException {
            chars += s.length();
            out.write(s);
        }

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            chars += len;
            out.write(cbuf, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
