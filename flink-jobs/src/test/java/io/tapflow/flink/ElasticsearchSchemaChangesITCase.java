package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.PipelineExplainer;
import io.tapflow.flink.job.PipelineExplanation;
import io.tapflow.flink.job.RunningPipeline;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A column added to a MariaDB source while the job runs is mapped in the Elasticsearch index as planning maps it
 * (a short VARCHAR as keyword, a DECIMAL as scaled_float) before a document carries it, not by Elasticsearch's
 * guess from the first value (text, double).
 */
class ElasticsearchSchemaChangesITCase {
    private static final Duration WAIT = Duration.ofMinutes(2);

    @TempDir
    Path checkpoints;

    @Test
    void anAddedColumnIsMappedAsPlanningMapsIt() throws Exception {
        String db = TestDatabases.freshName("es_add");
        DataSource src = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(20))", "INSERT INTO t VALUES (1, 'x')");
        DataSource es = ElasticsearchDocuments.datasource("es-" + db, db + "_");
        String index = db + "_t";
        Pipeline p = Pipeline.named(db.replace('_', '-')).readFrom(src.table("t")).writeTo(es).checkpointInterval(Duration.ofSeconds(1));
        assertThat(PipelineExplainer.explain(JobSpec.of(p, src, es)).schemaChanges()).as("explain says what the index does")
                .extracting(PipelineExplanation.SchemaChangeEffect::effect)
                .anyMatch(e -> e.startsWith("PUT /<index>/_mapping: the field mapped as the column's type maps"))
                .noneMatch(e -> e.contains("ALTER TABLE"));
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(p, src, es)), TestDatabases.runOptions(checkpoints))) {
            await(WAIT, () -> ElasticsearchDocuments.documents(index).size() == 1, () -> "no document yet", job);
            TestDatabases.mysql(db, "ALTER TABLE t ADD COLUMN note VARCHAR(40), ADD COLUMN price DECIMAL(8,2)",
                    "INSERT INTO t VALUES (2, 'y', 'n', 12.50)");
            await(WAIT, () -> ElasticsearchDocuments.documents(index).size() == 2, () -> ElasticsearchDocuments.documents(index).toString(), job);
        }
        JsonNode properties = ElasticsearchDocuments.properties(index);
        assertThat(properties.path("note").path("type").asText()).isEqualTo("keyword");
        assertThat(properties.path("price").path("type").asText()).isEqualTo("scaled_float");
        assertThat(properties.path("price").path("scaling_factor").asDouble()).isEqualTo(100.0);
        assertThat(ElasticsearchDocuments.documents(index).get("2").path("note").asText()).isEqualTo("n");
    }
}
