package io.tapflow.flink;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TableRef;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three public PostgreSQL sample schemas as their authors declare them, in one source database: Northwind for
 * PostgreSQL (smallint keys, bpchar without a length, real, bytea, a composite key), Chinook 1.4 for PostgreSQL (quoted
 * mixed-case names, NUMERIC(10,2), TIMESTAMP) and two tables of AdventureWorks for PostgreSQL (its domains over
 * varchar and boolean, uuid rowguids, xml, numeric without precision). Their rows (realworld/postgres-samples.sql)
 * hold each type's bounds, NULL, empty and blank-padded text, 4-byte UTF-8 and -0.0;
 * realworld/postgres-samples-changes.sql inserts, updates and deletes on the stream. Every value of every row is
 * compared with the source's in each target's documented form.
 */
class RealWorldPostgresITCase {
    static final List<String> TABLES = List.of("categories", "customer_demographics", "customers", "products", "order_details",
            "Artist", "Invoice", "Track", "PlaylistTrack", "person", "product", "emailaddress");

    @TempDir
    Path checkpoints;

    @Test
    void postgresTargetHoldsEverySampleValue() throws Exception {
        String db = TestDatabases.freshName("rwpgpg");
        replicate(db, TestDatabases.postgresTarget(db + "_t"), table -> PagilaITCase.postgresRows(db + "_t", table, "postgres"));
    }

    @Test
    void mySqlTargetHoldsEverySampleValue() throws Exception {
        String db = TestDatabases.freshName("rwpgmy");
        replicate(db, TestDatabases.mysqlTarget(db + "_t"), table -> SakilaITCase.mysqlRows(db + "_t", table, "mysql"));
    }

    @Test
    void mongoTargetHoldsEverySampleValue() throws Exception {
        String db = TestDatabases.freshName("rwpgmg");
        replicate(db, TestDatabases.mongoTarget(db + "_t"), table -> SakilaITCase.mongoRows(db + "_t", table));
    }

    private void replicate(String db, DataSource target, SakilaITCase.TargetRows targetRows) throws Exception {
        DataSource source = TestDatabases.postgresSource(db);
        TestDatabases.postgres(db, RealWorldMySqlITCase.statements("realworld/postgres-samples.sql"));
        String name = "pgsamples-" + target.type();
        Pipeline pipeline = Pipeline.named(name).readFrom(TABLES.stream().map(source::table).toArray(TableRef[]::new))
                .writeTo(target);
        SakilaITCase.TargetRows sourceRows = table -> PagilaITCase.postgresRows(db, table, target.type());
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, source, target)),
                TestDatabases.runOptions(checkpoints))) {
            SakilaITCase.awaitSame(TABLES, sourceRows, targetRows, job);
            TestDatabases.postgres(db, RealWorldMySqlITCase.statements("realworld/postgres-samples-changes.sql"));
            SakilaITCase.awaitSame(TABLES, sourceRows, targetRows, job);
        } finally {
            // The replication slot outlives the job; release it as tapflow delete does.
            ConnectorFactories.source("postgres").release(source, name);
        }
    }
}
