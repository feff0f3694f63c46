package io.tapflow.flink;

import static io.tapflow.dsl.Lookups.arrayKey;
import static io.tapflow.dsl.Lookups.as;
import static io.tapflow.dsl.Lookups.flatten;
import static io.tapflow.dsl.Lookups.on;
import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.verify.Difference;
import io.tapflow.flink.verify.TableReport;
import io.tapflow.flink.verify.Verifier;
import io.tapflow.flink.verify.VerifyOptions;
import io.tapflow.flink.verify.VerifyReport;
import io.tapflow.servers.SharedServers;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tapflow verify of lookup pipelines: the expected documents are the source rows with their looked-up rows embedded
 * as the job's join embeds them (object, array by arrayKey, flattened), compared with the target. MariaDB into
 * PostgreSQL (jsonb) and into MongoDB (the emulator unless TAPFLOW_TEST_MONGO_URI names a real mongod).
 */
class VerifyLookupsITCase {
    @TempDir
    Path checkpoints;

    @Test
    void postgresJsonbAndFlattenedColumnsVerifyEqualAndADriftedItemAndSourceChangeAreFound() throws Exception {
        String db = TestDatabases.freshName("verifylk_pg");
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        JobSpec spec = JobSpec.of(view(mysql, pg), mysql, pg);
        replicate(db, spec);

        TestDatabases.postgres(db, "UPDATE orders_view SET items = jsonb_set(items, '{0,price}', '\"9.99\"') WHERE id = 1");
        TestDatabases.mysql(db, "UPDATE customer SET name = 'Bobby' WHERE id = 2"); // the job is stopped: not in the target
        TableReport drift = Verifier.verify(spec, VerifyOptions.rows()).tables().get(0);
        assertThat(drift.different()).as("%s", drift).isEqualTo(2);
        assertThat(drift.missing() + drift.extra()).isZero();
        assertThat(drift.examples()).extracting(Difference::keyText).containsExactly("{id=1}", "{id=2}");
        assertThat(drift.examples().get(0).fields()).extracting(f -> f.field()).containsExactly("items");
        assertThat(drift.examples().get(1).fields()).extracting(f -> f.field()).containsExactlyInAnyOrder("customer", "c_name");
    }

    @Test
    void mongoDocumentsVerifyEqualAndADriftedEmbeddedFieldIsFound() throws Exception {
        String db = TestDatabases.freshName("verifylk_mg");
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource mongo = TestDatabases.mongoTarget(db);
        JobSpec spec = JobSpec.of(view(mysql, mongo), mysql, mongo);
        replicate(db, spec);

        try (MongoClient client = MongoClients.create(SharedServers.mongo().connectionString())) {
            client.getDatabase(db).getCollection("orders_view").updateOne(Filters.eq("id", 2), Updates.set("customer.name", "Eve"));
        }
        TableReport drift = Verifier.verify(spec, VerifyOptions.rows()).tables().get(0);
        assertThat(drift.different()).as("%s", drift).isEqualTo(1);
        assertThat(drift.examples()).singleElement().satisfies(d -> {
            assertThat(d.keyText()).isEqualTo("{id=2}");
            assertThat(d.fields()).extracting(f -> f.field()).containsExactly("customer");
        });
    }

    /** Runs the view until verify finds the target equal (it converges once every table's rows joined), then stops. */
    private void replicate(String db, JobSpec spec) throws Exception {
        TestDatabases.mysql(db, OrderViews.TABLES);
        TestDatabases.mysql(db, "INSERT INTO customer VALUES (1, 'Ada', 10.50), (2, 'Bob', 2.00)",
                "INSERT INTO orders VALUES (1, 1, 'a'), (2, 2, 'b'), (3, NULL, 'c')",
                "INSERT INTO order_items VALUES (2, 1, 2, 2.50), (1, 1, 1, 1.00), (3, 2, 3, 3.00)");
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(spec), TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(2), () -> {
                VerifyReport report = verified(spec);
                return report != null && report.equal();
            }, () -> "verify: " + verified(spec), job);
        }
        VerifyReport equal = Verifier.verify(spec, VerifyOptions.rows());
        assertThat(equal.tables().get(0).matched()).as("%s", equal).isEqualTo(3);
    }

    private static VerifyReport verified(JobSpec spec) {
        try {
            return Verifier.verify(spec, VerifyOptions.rows());
        } catch (RuntimeException e) {
            return null; // the target table is not created yet
        }
    }

    private static Pipeline view(DataSource mysql, DataSource target) {
        return Pipeline.named("verify-lookups").readFrom(mysql.table("orders"))
                .lookup(mysql.table("customer"), on("customer_id", "id"), as("customer"))
                .lookup(mysql.table("customer"), on("customer_id", "id"), flatten("c_"))
                .lookupMany(mysql.table("order_items"), on("id", "order_id"), as("items"), arrayKey("item_id"))
                .writeTo(target.table("orders_view")).checkpointInterval(Duration.ofSeconds(1));
    }
}
