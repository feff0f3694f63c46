package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.LocalRunOptions;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.flink.verify.TableReport;
import io.tapflow.flink.verify.Verifier;
import io.tapflow.flink.verify.VerifyOptions;
import io.tapflow.servers.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running MariaDB → PostgreSQL pipeline with renames, a JS and a Python UDF, verifying itself with
 * {@code verify.sample-per-second}: while changes flow the sampler checks keys and finds nothing; a target row that is
 * changed behind the pipeline's back at every write (a trigger) is reported by the metric and the log, by key. Then
 * {@code tapflow verify} of the UDF pipeline finds it equal, and, while a load generator keeps changing the source,
 * reports no lasting false difference and finds the injected drift (the tampered row, a deleted target row) exactly.
 */
class VerifySamplingITCase {
    private static final String PY = "def tier(record):\n    record['tier'] = 'gold' if record['balance'] > 500 else 'basic'\n    return record\n";
    private static final String SAMPLER_LOGGER = "io.tapflow.flink.verify.SampleChecks";

    @TempDir
    Path checkpoints;

    @Test
    void samplerFindsATamperedRowAndVerifyUnderLoadFindsOnlyTheDrift() throws Exception {
        String db = TestDatabases.freshName("vsample");
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        TestDatabases.mysql(db, "CREATE TABLE accounts (id INT PRIMARY KEY, owner VARCHAR(20), balance INT)");
        StringBuilder rows = new StringBuilder("INSERT INTO accounts VALUES ");
        for (int id = 1; id <= 20; id++) {
            rows.append(id == 1 ? "" : ", ").append("(").append(id).append(", 'owner ").append(id).append("', ").append(id * 50).append(")");
        }
        TestDatabases.mysql(db, rows.toString());
        Pipeline pipeline = Pipeline.named("vsample-" + db).readFrom(mysql.table("accounts"))
                .renameFields(Map.of("owner", "holder"))
                .addField("label", FieldValue.constant(""))
                .addField("tier", FieldValue.constant(""))
                .js("record.label = record.holder.toUpperCase() + ':' + record.balance; return record;")
                .py(PY, "tier")
                .writeTo(pg.table("accounts"))
                .checkpointInterval(Duration.ofSeconds(1))
                .verifySamplePerSecond(200);
        JobSpec spec = JobSpec.of(pipeline, mysql, pg);
        int webPort = FreePorts.pick();
        FlinkRestMetrics rest = new FlinkRestMetrics(webPort);
        List<String> warnings = captureWarnings();
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(spec),
                new LocalRunOptions(checkpoints, webPort, null, SinkOptions.DEFAULTS))) {
            String jobId = job.jobId().toHexString();
            await(Duration.ofMinutes(2), () -> PgRows.read(db, "accounts", "id").size() == 20, () -> "target rows", job);
            // The snapshot's keys checked first: a round checks each key once, so updates of those keys sampled while
            // the snapshot's round was still due would be checked together with it, and counted once.
            await(Duration.ofMinutes(2), () -> metric(rest, jobId, "checked") >= 20,
                    () -> "checked " + metric(rest, jobId, "checked"), job);
            for (int round = 0; round < 3; round++) {
                TestDatabases.mysql(db, "UPDATE accounts SET balance = balance + 1 WHERE id <= 10");
            }
            // The 20 snapshot rows and the 10 changed ones, each checked once the checkpoint after it completed.
            await(Duration.ofMinutes(2), () -> metric(rest, jobId, "checked") >= 30,
                    () -> "checked " + metric(rest, jobId, "checked"), job);
            assertThat(metric(rest, jobId, "mismatched")).as("mismatches while changes flow normally").isZero();
            assertThat(warnings).isEmpty();
            // tapflow verify runs the rename, the JS and the Python UDF itself: the target is what they make.
            TableReport equal = Verifier.verify(spec, VerifyOptions.rows()).tables().get(0);
            assertThat(equal.equal()).as("%s", equal).isTrue();
            assertThat(equal.matched()).isEqualTo(20);

            // Behind the pipeline's back: whatever the sink writes to row 15, its tier becomes 'tampered'. A change of
            // another field of the source row makes the sink write it, and the sampler pick its key.
            TestDatabases.postgres(db, "CREATE FUNCTION tamper() RETURNS trigger AS $$ BEGIN "
                            + "IF NEW.id = 15 THEN NEW.tier := 'tampered'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
                    "CREATE TRIGGER tamper BEFORE INSERT OR UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION tamper()");
            TestDatabases.mysql(db, "UPDATE accounts SET owner = 'new owner' WHERE id = 15");
            await(Duration.ofMinutes(1), () -> metric(rest, jobId, "mismatched") == 1,
                    () -> "mismatched " + metric(rest, jobId, "mismatched") + ", log " + warnings, job);
            assertThat(warnings).singleElement().asString()
                    .contains("target table accounts row {id=15} is not what the pipeline writes: fields [tier] differ")
                    .doesNotContain("tampered", "gold", "basic");

            // tapflow verify while a load generator changes rows 1..10: the re-check after the job's next checkpoints
            // leaves only the drift (row 15, and row 20 deleted in the target).
            TestDatabases.postgres(db, "DELETE FROM accounts WHERE id = 20");
            AtomicBoolean loading = new AtomicBoolean(true);
            AtomicLong changes = new AtomicLong();
            Thread load = new Thread(() -> {
                while (loading.get()) {
                    try {
                        TestDatabases.mysql(db, "UPDATE accounts SET balance = " + ThreadLocalRandom.current().nextInt(1000)
                                + " WHERE id = " + (1 + changes.getAndIncrement() % 10));
                        Thread.sleep(5);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, "load");
            load.start();
            TableReport report;
            try {
                Thread.sleep(500);
                report = Verifier.verify(spec, VerifyOptions.rows().withLagWait(() -> nextCheckpoints(rest, jobId))).tables().get(0);
            } finally {
                loading.set(false);
                load.join();
            }
            assertThat(changes.get()).as("changes made during verify").isGreaterThan(50);
            assertThat(report.examples()).extracting(d -> d.kind() + " " + d.keyText() + " " + d.fields().stream()
                            .map(f -> f.field() + ":" + f.expected() + "->" + f.actual()).toList())
                    .containsExactlyInAnyOrder("DIFFERENT {id=15} [tier:gold->tampered]", "MISSING {id=20} []");
            assertThat(report.missing() + report.extra() + report.different()).as("lasting differences").isEqualTo(2);
            // Rows 1..10 may differ in the first pass (a change in flight): the re-check resolves them.
            assertThat(report.matched() + report.resolvedByRecheck() + report.changing()).isEqualTo(18);
            // The sampler, checking the churning rows all along, still reports only row 15.
            await(Duration.ofMinutes(1), () -> metric(rest, jobId, "checked") > 40, () -> "checked " + metric(rest, jobId, "checked"), job);
            assertThat(metric(rest, jobId, "mismatched")).isEqualTo(1);
        } finally {
            stopCapturing();
        }
    }

    /** Waits until the job has completed two more checkpoints: every change made before is in the target. */
    private static void nextCheckpoints(FlinkRestMetrics rest, String jobId) {
        try {
            long start = rest.completedCheckpoints(jobId);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (rest.completedCheckpoints(jobId) < start + 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long metric(FlinkRestMetrics rest, String jobId, String name) {
        try {
            return rest.sum(jobId, "tapflow.verify." + name);
        } catch (Exception e) {
            return -1;
        }
    }

    /** The sampler's warnings (its mismatch lines), as formatted, from the Flink MiniCluster in this JVM. */
    private static List<String> captureWarnings() {
        List<String> lines = new CopyOnWriteArrayList<>();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        AbstractAppender appender = new AbstractAppender("verify-sampler-capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getLevel().isMoreSpecificThan(Level.WARN)) {
                    lines.add(event.getMessage().getFormattedMessage());
                }
            }
        };
        appender.start();
        LoggerConfig logger = new LoggerConfig(SAMPLER_LOGGER, Level.WARN, true);
        logger.addAppender(appender, Level.WARN, null);
        context.getConfiguration().addLogger(SAMPLER_LOGGER, logger);
        context.updateLoggers();
        return lines;
    }

    private static void stopCapturing() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().removeLogger(SAMPLER_LOGGER);
        context.updateLoggers();
    }
}
