package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The schema-change matrix: every kind of DDL while rows flow (ADD COLUMN with and without a DEFAULT, DROP COLUMN,
 * RENAME COLUMN, MODIFY to a wider type, CREATE TABLE matching the pattern, DROP TABLE, TRUNCATE), under each policy,
 * from a MariaDB and a PostgreSQL source, into PostgreSQL, MySQL (MariaDB) and MongoDB (the emulator unless
 * TAPFLOW_TEST_MONGO_URI names a real mongod). Per source and policy one scenario: three pipelines, one per target,
 * read the same pattern-selected tables while the DDL is made once, with rows inserted, updated and deleted between
 * statements, and after each statement every target equals the source as the policy defines it ({@link
 * PolicyTargetTable}), row for row and value by value. Under fail each kind of DDL has a pipeline of its own, which stops
 * naming it.
 */
class SchemaChangeMatrixITCase {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final List<String> TARGETS = List.of("postgres", "mysql", "mongo");

    @TempDir
    Path checkpoints;

    @ParameterizedTest(name = "{0} source, policy {1}")
    @CsvSource({"mysql, evolve", "mysql, lenient", "mysql, ignore", "postgres, evolve", "postgres, lenient", "postgres, ignore"})
    void everyKindOfDdlWhileRowsFlow(String sourceType, String policy) throws Exception {
        String db = TestDatabases.freshName("mx_" + sourceType.charAt(0) + policy.charAt(0));
        SourceDatabase src = SourceDatabase.of(sourceType, db);
        src.run("CREATE TABLE m_1 (id INT PRIMARY KEY, name VARCHAR(10), qty INT, gone INT, ren INT)",
                "INSERT INTO m_1 VALUES (1, 'a', 1, 1, 1), (2, 'b', 2, 2, 2), (3, 'c', 3, 3, 3), (4, 'd', 4, 4, 4)",
                "CREATE TABLE m_2 (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO m_2 VALUES (1, 'x'), (2, 'y')");
        PolicyTargetTable m1 = new PolicyTargetTable(policy, List.of("id", "name", "qty", "gone", "ren"));
        src.rows("m_1").forEach(m1::written);
        List<TargetTables> targets = new ArrayList<>();
        List<RunningPipeline> jobs = new ArrayList<>();
        try (LogCapture log = new LogCapture(Class.forName("io.tapflow.flink.job.SchemaChangeFollower"))) {
            for (String type : TARGETS) {
                TargetTables target = TargetTables.of(type, db + "_" + type.substring(0, 2));
                targets.add(target);
                Pipeline p = Pipeline.named(db.replace('_', '-') + "-" + type).readFrom(src.datasource().tables("m_\\d"))
                        .writeTo(target.datasource()).schemaChanges(policy).checkpointInterval(Duration.ofSeconds(1));
                jobs.add(LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(p, src.datasource(), target.datasource())),
                        TestDatabases.runOptions(checkpoints.resolve(type))));
            }
            Scenario s = new Scenario(src, targets, jobs.toArray(RunningPipeline[]::new));
            s.awaitTargets("m_1", m1::rows);
            s.awaitTargets("m_2", () -> src.rows("m_2"));

            s.step(m1, m -> { }, List.of("5", "1", "2"), "INSERT INTO m_1 VALUES (5, 'e', 5, 5, 5)",
                    "UPDATE m_1 SET name = 'a1' WHERE id = 1", "DELETE FROM m_1 WHERE id = 2", "UPDATE m_2 SET v = 'x1' WHERE id = 1");
            s.awaitTargets("m_2", () -> src.rows("m_2"));
            s.step(m1, m -> m.columnAdded("note", "d"), List.of("6", "3", "4"),
                    "ALTER TABLE m_1 ADD COLUMN note VARCHAR(20) DEFAULT 'd'", "INSERT INTO m_1 VALUES (6, 'f', 6, 6, 6, 'n6')",
                    "UPDATE m_1 SET note = 'n3' WHERE id = 3", "DELETE FROM m_1 WHERE id = 4");
            s.step(m1, m -> m.columnAdded("extra", null), List.of("7", "5"), "ALTER TABLE m_1 ADD COLUMN extra INT",
                    "INSERT INTO m_1 VALUES (7, 'g', 7, 7, 7, 'n7', 70)", "UPDATE m_1 SET extra = 50 WHERE id = 5");
            s.step(m1, m -> m.columnDropped("gone"), List.of("8", "1"), "ALTER TABLE m_1 DROP COLUMN gone",
                    "INSERT INTO m_1 VALUES (8, 'h', 8, 8, 'n8', 80)", "UPDATE m_1 SET name = 'a2' WHERE id = 1");
            s.step(m1, m -> m.columnRenamed("ren", "ren2"), List.of("9", "3"), "ALTER TABLE m_1 RENAME COLUMN ren TO ren2",
                    "INSERT INTO m_1 VALUES (9, 'i', 9, 9, 'n9', 90)", "UPDATE m_1 SET ren2 = 33 WHERE id = 3");
            // Under ignore the target's columns keep their planned types: the values written still fit them.
            boolean ignore = policy.equals("ignore");
            s.step(m1, m -> { }, List.of("10", "6"), src.changeType("m_1", "name", "VARCHAR(40)"),
                    src.changeType("m_1", "qty", "BIGINT"),
                    "INSERT INTO m_1 VALUES (10, '" + (ignore ? "j" : "a-much-longer-name") + "', " + (ignore ? 10 : 5_000_000_000L)
                            + ", 10, 'n10', 100)", "UPDATE m_1 SET qty = " + (ignore ? 66 : 6_000_000_000L) + " WHERE id = 6");

            src.run("CREATE TABLE m_3 (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO m_3 VALUES (1, 'p'), (2, 'q')",
                    "UPDATE m_3 SET v = 'p1' WHERE id = 1");
            if (ignore) {
                s.step(m1, m -> { }, List.of("11"), "INSERT INTO m_1 VALUES (11, 'k', 11, 11, 'n11', 110)");
                s.awaitLogged(log, "m_3", "CREATE TABLE -> target: not read (policy ignore)");
                for (TargetTables t : targets) {
                    assertThat(t.exists("m_3")).as(t.type() + ": a new table under ignore").isFalse();
                }
            } else {
                s.awaitTargets("m_3", () -> src.rows("m_3"));
            }

            List<Map<String, String>> m2 = src.rows("m_2");
            src.run("DROP TABLE m_2");
            s.awaitLogged(log, "m_2", "DROP TABLE -> target: m_2 left as it is (policy " + policy + ")");
            s.step(m1, m -> { }, List.of("12"), "INSERT INTO m_1 VALUES (12, 'l', 12, 12, 'n12', 120)");
            s.awaitTargets("m_2", () -> m2);

            s.step(m1, PolicyTargetTable::truncated, List.of("1", "13"), "UPDATE m_1 SET note = 'last' WHERE id = 1",
                    "TRUNCATE TABLE m_1", "INSERT INTO m_1 VALUES (13, 'm', 13, 13, 'n13', 130), (1, 'again', 1, 1, 'n1', 1)");
            s.awaitLogged(log, "m_1", "TRUNCATE -> target: " + (policy.equals("evolve") ? "every row of m_1 deleted"
                    : "m_1 keeps its rows (a TRUNCATE is reported, not applied)") + " (policy " + policy + ")");

            if (ignore) {
                // A value the target column, kept at its planned type, cannot hold: refused by the SQL targets, naming
                // table, column and row; a document holds it.
                src.run("UPDATE m_1 SET name = 'a-much-longer-name' WHERE id = 13");
                for (int i = 0; i < 2; i++) {
                    assertThatThrownBy(jobs.get(i)::awaitTermination).as(TARGETS.get(i))
                            .hasMessageContaining("target refused row {id=13} of " + src.qualified("m_1") + " (to m_1): column "
                                    + "'name' of target table m_1 is varchar(10), which cannot hold the value "
                                    + "'a-much-longer-name' (18 characters)");
                }
                m1.written(src.rows("m_1").stream().filter(r -> r.get("id").equals("13")).findFirst().orElseThrow());
                TargetTables mongo = targets.get(2);
                await(WAIT, () -> mongo.rows("m_1").equals(mongo.asStored(m1.rows())), () -> mongo.rows("m_1").toString(), jobs.get(2));
            }
        } finally {
            for (RunningPipeline job : jobs) {
                job.close();
            }
        }
    }

    /** The source's statements of one step, what they mean for the target table, and a wait until every target shows it. */
    private record Scenario(SourceDatabase src, List<TargetTables> targets, RunningPipeline[] jobs) {
        /**
         * Runs the statements, then follows the rows of {@code touched} ids in the model (written as the source has them
         * now, or deleted), and waits until every target's m_1 equals the model.
         */
        void step(PolicyTargetTable m1, Consumer<PolicyTargetTable> ddl, List<String> touched, String... statements) throws Exception {
            src.run(statements);
            ddl.accept(m1);
            List<Map<String, String>> now = src.rows("m_1");
            for (String id : touched) {
                now.stream().filter(r -> r.get("id").equals(id)).findFirst().ifPresentOrElse(m1::written, () -> m1.deleted(id));
            }
            awaitTargets("m_1", m1::rows);
        }

        void awaitTargets(String table, java.util.function.Supplier<List<Map<String, String>>> expected) throws InterruptedException {
            await(WAIT, () -> targets.stream().allMatch(t -> t.rows(table).equals(t.asStored(expected.get()))), () -> {
                StringBuilder out = new StringBuilder("expected " + expected.get());
                targets.forEach(t -> out.append("\n").append(t.type()).append(": ").append(t.rows(table)));
                return out.toString();
            }, jobs);
        }

        void awaitLogged(LogCapture log, String table, String report) throws InterruptedException {
            await(WAIT, () -> java.util.Arrays.stream(jobs).allMatch(j -> log.text().contains("tapflow[" + j.jobId()
                    + "] schema change on " + src.qualified(table) + ": " + report)), log::text, jobs);
        }
    }

    /**
     * Under fail each kind of DDL, in a table of its own read by a pipeline of its own, stops that pipeline with a
     * message naming the change; the target keeps the rows from before it. The targets take turns (the policy acts
     * before the sink).
     */
    @ParameterizedTest(name = "{0} source")
    @ValueSource(strings = {"mysql", "postgres"})
    void failStopsTheJobNamingEachKindOfDdl(String sourceType) throws Exception {
        String db = TestDatabases.freshName("mx_" + sourceType.charAt(0) + "f");
        SourceDatabase src = SourceDatabase.of(sourceType, db);
        // table, statements, what the job's failure names
        String[][] cases = {
                {"f_add_def", "ALTER TABLE f_add_def ADD COLUMN note VARCHAR(20) DEFAULT 'd'|INSERT INTO f_add_def VALUES (2, 'b', 2, 'n')",
                        "ADD COLUMN note varchar(20)"},
                {"f_add", "ALTER TABLE f_add ADD COLUMN extra INT|INSERT INTO f_add VALUES (2, 'b', 2, 2)", "ADD COLUMN extra"},
                {"f_drop", "ALTER TABLE f_drop DROP COLUMN qty|INSERT INTO f_drop VALUES (2, 'b')", "DROP COLUMN qty"},
                {"f_ren", "ALTER TABLE f_ren RENAME COLUMN qty TO qty2|INSERT INTO f_ren VALUES (2, 'b', 2)", "RENAME COLUMN qty TO qty2"},
                {"f_mod", src.changeType("f_mod", "name", "VARCHAR(40)") + "|INSERT INTO f_mod VALUES (2, 'a-much-longer-name', 2)",
                        "MODIFY name"},
                {"f_new", "CREATE TABLE f_new_2 (id INT PRIMARY KEY, v INT)|INSERT INTO f_new_2 VALUES (1, 1)", "CREATE TABLE"},
                {"f_dropt", "DROP TABLE f_dropt", "DROP TABLE"},
                {"f_trunc", "TRUNCATE TABLE f_trunc", "TRUNCATE"}};
        List<RunningPipeline> jobs = new ArrayList<>();
        List<TargetTables> targets = new ArrayList<>();
        try {
            for (int i = 0; i < cases.length; i++) {
                String table = cases[i][0];
                src.run("CREATE TABLE " + table + " (id INT PRIMARY KEY, name VARCHAR(10), qty INT)",
                        "INSERT INTO " + table + " VALUES (1, 'a', 1)");
                TargetTables target = TargetTables.of(TARGETS.get(i % 3), db + "_" + i);
                targets.add(target);
                Pipeline p = Pipeline.named(db.replace('_', '-') + "-" + i)
                        .readFrom(src.datasource().tables(table.equals("f_new") ? "f_new(_\\d)?" : table))
                        .writeTo(target.datasource()).schemaChanges("fail").checkpointInterval(Duration.ofSeconds(1));
                jobs.add(LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(p, src.datasource(), target.datasource())),
                        TestDatabases.runOptions(checkpoints.resolve("f" + i))));
            }
            for (int i = 0; i < cases.length; i++) {
                TargetTables target = targets.get(i);
                String table = cases[i][0];
                await(WAIT, () -> target.rows(table).size() == 1, () -> target.rows(table).toString(), jobs.get(i));
            }
            for (String[] c : cases) {
                src.run(c[1].split("\\|"));
            }
            for (int i = 0; i < cases.length; i++) {
                String changed = cases[i][0].equals("f_new") ? "f_new_2" : cases[i][0];
                assertThatThrownBy(jobs.get(i)::awaitTermination).as(cases[i][0])
                        .hasMessageContaining("schema change on " + src.qualified(changed) + ": " + cases[i][2])
                        .hasMessageContaining("the pipeline's schema-change policy is fail");
                assertThat(targets.get(i).rows(cases[i][0])).as(cases[i][0])
                        .isEqualTo(targets.get(i).asStored(List.of(Map.of("id", "1", "name", "a", "qty", "1"))));
            }
        } finally {
            for (RunningPipeline job : jobs) {
                job.close();
            }
        }
    }
}
