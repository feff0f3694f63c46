package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.NameCase;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.Step;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.PipelineExplainer;
import io.tapflow.flink.job.PipelineExplanation;
import io.tapflow.flink.job.RunningPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MariaDB table with a mixed-case name (Chinook's {@code Invoice}) into a real Elasticsearch: refused before start
 * without a case change, pointing to it; with rename_tables' case "lower" (examples/json/invoices-to-elasticsearch.json,
 * run as written) explain names the index and its snapshot and a change reach it.
 */
class TableNameCaseITCase {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final Path EXAMPLE = Path.of("..", "examples", "json", "invoices-to-elasticsearch.json");

    @TempDir
    Path checkpoints;

    @Test
    void aMixedCaseTableGoesToALowerCaseIndex() throws Exception {
        String db = TestDatabases.freshName("es_case");
        DataSource src = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE Invoice (id INT PRIMARY KEY, BillingCity VARCHAR(40), Total INT)",
                "INSERT INTO Invoice VALUES (1, 'Stuttgart', 2), (2, 'Oslo', 4)");
        DataSource es = ElasticsearchDocuments.datasource("es-" + db, db + "_");
        Pipeline asIs = Pipeline.named(db.replace('_', '-')).readFrom(src.table("Invoice")).writeTo(es);
        assertThatThrownBy(() -> JobPlanner.plan(JobSpec.of(asIs, src, es)))
                .hasMessageContaining("index name '" + db + "_Invoice' (target table Invoice) is not a valid Elasticsearch index name")
                .hasMessageContaining("a rename_tables step of case \"lower\"");

        // The README's example, on the test's servers under the datasource names it uses.
        Pipeline example = DefinitionJson.pipeline(Files.readString(EXAMPLE), EXAMPLE.toString());
        assertThat(example.steps()).containsExactly(new Step.RenameTables("", "", NameCase.LOWER));
        DataSource chinook = new DataSource(src.type(), "chinook", src.options());
        DataSource search = ElasticsearchDocuments.datasource("search", db + "_");
        String index = db + "_invoice";
        assertThat(PipelineExplainer.explain(JobSpec.of(example, chinook, search)).tables())
                .extracting(PipelineExplanation.TableExplanation::targetTable).containsExactly("invoice");
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(example, chinook, search)),
                TestDatabases.runOptions(checkpoints))) {
            await(WAIT, () -> documents(index).size() == 2, () -> documents(index).toString(), job);
            TestDatabases.mysql(db, "UPDATE Invoice SET BillingCity = 'Bergen', Total = 5 WHERE id = 2");
            await(WAIT, () -> documents(index).equals(MariaDbRows.read(db, "Invoice")),
                    () -> documents(index) + " vs source " + MariaDbRows.read(db, "Invoice"), job);
        }
        assertThat(documents(index)).isEqualTo(MariaDbRows.read(db, "Invoice"))
                .contains(Map.of("id", "2", "BillingCity", "Bergen", "Total", "5"));
    }

    /**
     * A table created while the job runs whose name differs from a known table's only in case: under rename_tables'
     * case "lower" both would go to one target table, their rows overwriting each other by key. The job stops naming
     * both instead, as planning does for two such tables at the start, and the target keeps the known table's rows.
     */
    @Test
    void aNewTableThatOnlyTheCaseChangeSendsToAKnownTablesTargetStopsTheJobNamingBoth() throws Exception {
        String db = TestDatabases.freshName("pg_case");
        DataSource src = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE invoice (id INT PRIMARY KEY, total INT)", "INSERT INTO invoice VALUES (1, 2)");
        DataSource pg = TestDatabases.postgresTarget(db);
        Pipeline p = Pipeline.named(db.replace('_', '-')).readFrom(src.tables("[Ii]nvoice")).renameTables("", "", NameCase.LOWER)
                .writeTo(pg).checkpointInterval(Duration.ofSeconds(1));
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(p, src, pg)), TestDatabases.runOptions(checkpoints))) {
            await(WAIT, () -> PgRows.tableExists(db, "invoice") && PgRows.read(db, "invoice", "id").size() == 1,
                    () -> "target invoice not yet written", job);
            TestDatabases.mysql(db, "CREATE TABLE Invoice (id INT PRIMARY KEY, total INT)", "INSERT INTO Invoice VALUES (1, 99)");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!job.status().isGloballyTerminalState() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(job.status().isGloballyTerminalState()).as("the job stopped; target rows: %s",
                    PgRows.read(db, "invoice", "id")).isTrue();
            assertThatThrownBy(job::awaitTermination)
                    .hasMessageContaining("new table " + db + ".Invoice: source tables " + db + ".invoice and " + db
                            + ".Invoice both go to target table invoice only because rename_tables changes the case of their names");
        }
        assertThat(PgRows.read(db, "invoice", "id")).containsExactly(Map.of("id", "1", "total", "2"));
    }

    /** The index's documents as rows of text values, in id order. */
    private static List<Map<String, String>> documents(String index) {
        return ElasticsearchDocuments.documents(index).values().stream()
                .sorted(java.util.Comparator.comparingInt(d -> d.path("id").asInt()))
                .map(TableNameCaseITCase::row).toList();
    }

    private static Map<String, String> row(JsonNode doc) {
        Map<String, String> row = new LinkedHashMap<>();
        doc.fields().forEachRemaining(f -> row.put(f.getKey(), f.getValue().isNull() ? null : f.getValue().asText()));
        return row;
    }
}
