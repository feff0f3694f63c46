package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MariaDB TRUNCATE under the schema-change policy evolve into a real Elasticsearch 7.10.2: the index's documents are
 * deleted (refresh, delete-by-query) after the rows before the TRUNCATE are indexed and before the rows after it, at
 * parallelism 1 (by the sink) and 2 (by the job's coordinator once both sink subtasks wrote their rows). Documents
 * written just before the TRUNCATE, not yet searchable, must go too; rows after it on old keys must stay.
 */
class ElasticsearchTruncateITCase {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final int ROWS = 400;

    @TempDir
    Path checkpoints;

    @Test
    void atParallelismOneTheIndexIsEmptiedBetweenTheRowsBeforeAndAfter() throws Exception {
        String db = TestDatabases.freshName("es_tr1");
        List<Map<String, String>> expected = run(db, 1, 2, new String[] {"INSERT INTO t VALUES (3, 'z', 3)",
                "UPDATE t SET b = b + 7", "TRUNCATE TABLE t", "INSERT INTO t VALUES (4, 'after', 4), (1, 'again', 1)"},
                "schema change on " + db + ".t: TRUNCATE -> target: every row of t deleted (policy evolve)",
                Class.forName("io.tapflow.flink.job.SchemaChangeFollower"));
        assertThat(expected).extracting(r -> r.get("a")).containsExactly("again", "after");
    }

    @Test
    void atParallelismTwoTheIndexIsEmptiedOnceBothSinkSubtasksWroteTheRowsBefore() throws Exception {
        String db = TestDatabases.freshName("es_tr2");
        // Every row changed (waiting in both subtasks' buffers when the TRUNCATE comes), TRUNCATE, every other old key
        // and 50 new ones inserted again (some reach a subtask before the other has met the TRUNCATE), changes.
        StringBuilder again = new StringBuilder("INSERT INTO t VALUES ");
        for (int id = 1; id <= ROWS + 50; id += id < ROWS ? 2 : 1) {
            again.append(id == 1 ? "" : ", ").append("(").append(id).append(", 'after").append(id).append("', ").append(id).append(")");
        }
        List<Map<String, String>> expected = run(db, 2, ROWS, new String[] {"UPDATE t SET b = b + 7", "TRUNCATE TABLE t",
                again.toString(), "UPDATE t SET b = b + 1 WHERE id % 3 = 0"},
                "target table t: TRUNCATE made after every sink subtask wrote the rows before it: delete-by-query on index '"
                        + db + "_t'", Class.forName("io.tapflow.flink.job.SchemaChangeCoordinator"));
        assertThat(expected).hasSize(ROWS / 2 + 50);
    }

    /** Runs the pipeline until the index holds the source's rows after the changes; returns them. */
    private List<Map<String, String>> run(String db, int parallelism, int rows, String[] changes, String logLine,
                                          Class<?> logger) throws Exception {
        DataSource src = TestDatabases.mysqlSource(db);
        StringBuilder insert = new StringBuilder("INSERT INTO t VALUES ");
        for (int id = 1; id <= rows; id++) {
            insert.append(id == 1 ? "" : ", ").append("(").append(id).append(", 'a").append(id).append("', ").append(id).append(")");
        }
        TestDatabases.mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(20), b INT)", insert.toString());
        DataSource es = ElasticsearchDocuments.datasource("es-" + db, db + "_");
        String index = db + "_t";
        Pipeline p = Pipeline.named(db.replace('_', '-')).readFrom(src.table("t")).writeTo(es).schemaChanges("evolve")
                .parallelism(parallelism).checkpointInterval(Duration.ofSeconds(1));
        try (LogCapture log = new LogCapture(logger);
             RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(p, src, es)), TestDatabases.runOptions(checkpoints))) {
            await(WAIT, () -> documents(index).size() == rows, () -> documents(index).size() + " documents", job);
            // At parallelism > 1 the change stream starts after a checkpoint that covers the snapshot: a first change
            // shows it runs, so the TRUNCATE is read from the binlog.
            TestDatabases.mysql(db, "UPDATE t SET a = 'streaming' WHERE id = 1");
            await(WAIT, () -> "streaming".equals(documents(index).get(0).get("a")), () -> documents(index).get(0).toString(), job);
            TestDatabases.mysql(db, changes);
            await(WAIT, () -> documents(index).equals(MariaDbRows.read(db, "t")),
                    () -> documents(index).size() + " documents, first " + documents(index).stream().limit(3).toList()
                            + "; source " + MariaDbRows.read(db, "t").stream().limit(3).toList(), job);
            assertThat(log.text()).contains(logLine);
        }
        List<Map<String, String>> source = MariaDbRows.read(db, "t");
        assertThat(documents(index)).isEqualTo(source);
        return source;
    }

    /** The index's documents as rows of text values, in id order. */
    private static List<Map<String, String>> documents(String index) {
        Map<Integer, Map<String, String>> byId = new TreeMap<>();
        for (JsonNode doc : ElasticsearchDocuments.documents(index).values()) {
            Map<String, String> row = new LinkedHashMap<>();
            doc.fields().forEachRemaining(f -> row.put(f.getKey(), f.getValue().isNull() ? null : f.getValue().asText()));
            byId.put(doc.path("id").asInt(), row);
        }
        return new ArrayList<>(byId.values());
    }
}
