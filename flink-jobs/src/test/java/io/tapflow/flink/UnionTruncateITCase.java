package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.FieldType;
import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under evolve, the TRUNCATE of one source table of a union (several source tables into one target table, keys apart):
 * with a field that holds the source table ({@code addField("source_table", expression("table"))}) only that table's
 * target rows are deleted, in order with the rows before and after it (PostgreSQL at parallelism 1, Elasticsearch at 2, its
 * index shared by both tables); without one the target keeps every row and the log says what to add.
 */
class UnionTruncateITCase {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final FieldValue SOURCE_TABLE = FieldValue.expression("table", FieldType.STRING);

    @TempDir
    Path checkpoints;

    @Test
    void intoPostgresOnlyTheTruncatedTablesRowsGoWhenTheirSourceTableIsAField() throws Exception {
        String db = TestDatabases.freshName("union_tr");
        DataSource src = sourceWithTwoTables(db, 3, 100);
        DataSource pg = TestDatabases.postgresTarget(db);
        Pipeline marked = Pipeline.named("union-tr-marked").readFrom(src.table("a"), src.table("b"))
                .addField("source_table", SOURCE_TABLE).writeTo(pg.table("ab"))
                .schemaChanges("evolve").checkpointInterval(Duration.ofSeconds(1));
        Pipeline unmarked = Pipeline.named("union-tr-plain").readFrom(src.table("a"), src.table("b")).writeTo(pg.table("ab_plain"))
                .schemaChanges("evolve").checkpointInterval(Duration.ofSeconds(1));
        Supplier<List<String>> rows = () -> PgRows.read(db, "ab", "source_table, id").stream()
                .map(r -> r.get("source_table") + ":" + r.get("id") + ":" + r.get("v")).toList();
        try (LogCapture log = new LogCapture(Class.forName("io.tapflow.flink.job.SchemaChangeFollower"));
             RunningPipeline a = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(marked, src, pg)), TestDatabases.runOptions(checkpoints.resolve("a")));
             RunningPipeline b = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(unmarked, src, pg)), TestDatabases.runOptions(checkpoints.resolve("b")))) {
            await(WAIT, () -> rows.get().size() == 6 && PgRows.read(db, "ab_plain", "id").size() == 6, () -> rows.get().toString(), a, b);
            TestDatabases.mysql(db, "UPDATE a SET v = v + 10", "TRUNCATE TABLE a", "INSERT INTO a VALUES (2, 20), (7, 70)",
                    "INSERT INTO b VALUES (104, 104)");
            List<String> expected = List.of(db + ".a:2:20", db + ".a:7:70", db + ".b:101:101", db + ".b:102:102",
                    db + ".b:103:103", db + ".b:104:104");
            await(WAIT, () -> rows.get().equals(expected), () -> rows.get().toString(), a, b);
            await(WAIT, () -> PgRows.read(db, "ab_plain", "id").size() == 8, () -> PgRows.read(db, "ab_plain", "id").toString(), b);
            assertThat(log.text()).contains("tapflow[" + a.jobId() + "] schema change on " + db + ".a: TRUNCATE -> target: the rows "
                    + "of ab whose source_table is '" + db + ".a' deleted (other source tables write ab too; their rows stay) (policy evolve)");
            assertThat(log.text()).contains("tapflow[" + b.jobId() + "] schema change on " + db + ".a: TRUNCATE -> target: "
                    + "ab_plain keeps its rows (other source tables write ab_plain too (" + db + ".b), and no field of its rows says "
                    + "which source table wrote them; to delete only this table's rows, add the source table as a field, e.g. "
                    + "addField(\"source_table\", expression(\"table\", FieldType.STRING))");
        }
        // Without the field the union's rows of a stay, and the rows after the TRUNCATE are written over them.
        assertThat(PgRows.read(db, "ab_plain", "id")).extracting(r -> r.get("id") + ":" + r.get("v"))
                .containsExactly("1:11", "2:20", "3:13", "7:70", "101:101", "102:102", "103:103", "104:104");
    }

    @Test
    void intoAnElasticsearchIndexSharedByBothTablesAtParallelismTwoOnlyTheTruncatedTablesDocumentsGo() throws Exception {
        String db = TestDatabases.freshName("union_tres");
        int rows = 200;
        DataSource src = sourceWithTwoTables(db, rows, 1000);
        DataSource es = ElasticsearchDocuments.datasource("es-" + db, db + "_");
        String index = db + "_ab";
        Pipeline p = Pipeline.named("union-tr-es").readFrom(src.table("a"), src.table("b"))
                .addField("source_table", SOURCE_TABLE).writeTo(es.table("ab"))
                .schemaChanges("evolve").parallelism(2).checkpointInterval(Duration.ofSeconds(1));
        try (LogCapture coordinator = new LogCapture(Class.forName("io.tapflow.flink.job.SchemaChangeCoordinator"));
             RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(p, src, es)), TestDatabases.runOptions(checkpoints))) {
            await(WAIT, () -> documents(index).size() == 2 * rows, () -> documents(index).size() + " documents", job);
            // At parallelism > 1 the change stream starts after a checkpoint that covers the snapshot.
            TestDatabases.mysql(db, "UPDATE b SET v = -1 WHERE id = 1001");
            await(WAIT, () -> documents(index).contains(db + ".b:1001:-1"), () -> "first change missing", job);
            StringBuilder again = new StringBuilder("INSERT INTO a VALUES (1, 1000)");
            for (int id = 3; id <= rows + 20; id += 2) {
                again.append(", (").append(id).append(", ").append(id + 1000).append(")");
            }
            TestDatabases.mysql(db, "UPDATE a SET v = v + 7", "UPDATE b SET v = v + 7", "TRUNCATE TABLE a", again.toString(),
                    "UPDATE b SET v = v + 1 WHERE id % 3 = 0");
            TreeSet<String> expected = new TreeSet<>();
            for (Map<String, String> r : MariaDbRows.read(db, "a")) {
                expected.add(db + ".a:" + r.get("id") + ":" + r.get("v"));
            }
            for (Map<String, String> r : MariaDbRows.read(db, "b")) {
                expected.add(db + ".b:" + r.get("id") + ":" + r.get("v"));
            }
            await(WAIT, () -> documents(index).equals(expected), () -> documents(index).size() + " documents, expected "
                    + expected.size(), job);
            assertThat(coordinator.text()).contains("target table ab: TRUNCATE made after every sink subtask wrote the rows "
                    + "before it: delete-by-query on index '" + index + "' where source_table is '" + db + ".a' (" + rows + " documents)");
        }
    }

    /**
     * Tables a and b (id, v), with n rows each holding v = id: a ids 1..n, b ids after {@code bOffset} (a union's
     * tables need keys of their own: rows with one key are one target row).
     */
    private static DataSource sourceWithTwoTables(String db, int n, int bOffset) throws Exception {
        DataSource src = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE a (id INT PRIMARY KEY, v INT)", "CREATE TABLE b (id INT PRIMARY KEY, v INT)",
                "INSERT INTO a VALUES " + values(1, n), "INSERT INTO b VALUES " + values(bOffset + 1, bOffset + n));
        return src;
    }

    private static String values(int from, int to) {
        StringBuilder values = new StringBuilder();
        for (int id = from; id <= to; id++) {
            values.append(id == from ? "" : ", ").append("(").append(id).append(", ").append(id).append(")");
        }
        return values.toString();
    }

    /** "source_table:id:v" of every document of the index. */
    private static TreeSet<String> documents(String index) {
        TreeSet<String> out = new TreeSet<>();
        for (JsonNode doc : ElasticsearchDocuments.documents(index).values()) {
            out.add(doc.path("source_table").asText() + ":" + doc.path("id").asText() + ":" + doc.path("v").asText());
        }
        return out;
    }
}
