package io.tapflow.cli;

import io.tapflow.cli.catalog.Catalog;
import io.tapflow.cli.run.LocalRun;
import io.tapflow.cli.run.SourceResources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TapflowException;
import io.tapflow.servers.PostgresServer;
import io.tapflow.servers.SharedServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@code tapflow delete} releases on a real PostgreSQL source: the pipeline's slot and publication, reached
 * with the catalog's credentials (the started spec holds only a reference this shell cannot resolve); the slot of a
 * pipeline whose name merely starts the same stays.
 */
class SourceResourcesITCase {
    @RegisterExtension
    final CliRun cli = new CliRun();

    @Test
    void deleteReleasesThePipelinesSlotsAndPublicationOnly() throws SQLException {
        PostgresServer pg = SharedServers.postgres();
        String db = "cli_release_" + ProcessHandle.current().pid();
        pg.createDatabase(db);
        DataSource inCatalog = DataSource.of("postgres", "pg_src").host(pg.host()).port(pg.port()).username(pg.user())
                .password(pg.password()).database(db);
        DataSource shipped = inCatalog.password("${env:TAPFLOW_TEST_UNSET_PASSWORD}");
        Catalog catalog = new Catalog(cli.home());
        catalog.save(inCatalog);
        String slot = "tapflow_orders_job_" + ProcessHandle.current().pid();
        String otherSlot = slot + "_2";
        execute(pg, db, "CREATE TABLE orders (id int PRIMARY KEY)",
                "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')",
                "SELECT pg_create_logical_replication_slot('" + otherSlot + "', 'pgoutput')",
                "CREATE PUBLICATION " + slot + " FOR TABLE orders");
        try {
            Pipeline pipeline = Pipeline.named("Orders-Job_" + ProcessHandle.current().pid())
                    .readFrom(shipped.table("orders")).writeTo(shipped.table("orders_copy"));
            JobSpec started = JobSpec.of(pipeline, shipped);

            assertThat(SourceResources.release(catalog, started)).containsExactly(
                    "released replication slot " + slot + " on datasource pg_src",
                    "dropped publication " + slot + " on datasource pg_src");
            assertThat(slots(pg, db)).containsExactly(otherSlot);
            assertThat(SourceResources.release(catalog, started)).isEmpty();
        } finally {
            execute(pg, db, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name LIKE '"
                    + slot + "%'");
        }
    }

    @Test
    void aMySqlSourceKeepsNothingToRelease() {
        DataSource mysql = DataSource.of("mysql", "m").host("nowhere.invalid").username("u").database("d");
        DataSource pg = DataSource.of("postgres", "p").host("nowhere.invalid").username("u").database("d");
        JobSpec started = JobSpec.of(Pipeline.named("m2p").readFrom(mysql.table("t")).writeTo(pg.table("t")), mysql, pg);
        assertThat(SourceResources.release(new Catalog(cli.home()), started)).isEmpty();
    }

    @Test
    void aRecordedRunSpecWhoseDataSourceLeftTheCatalogSaysToAddItAgain() {
        DataSource pg = DataSource.of("postgres", "gone").host("nowhere.invalid").port(5432).username("u").password("secret")
                .database("shop");
        LocalRun run = LocalRun.of("orders");
        run.recordStarted(JobSpec.of(Pipeline.named("orders").readFrom(pg.table("t")).writeTo(pg.table("t_copy")), pg));
        assertThatThrownBy(() -> SourceResources.release(new Catalog(cli.home()), run.lastStarted().orElseThrow()))
                .isInstanceOf(TapflowException.class)
                .hasMessage("cannot release what pipeline 'orders' keeps on datasource 'gone' (nowhere.invalid:5432/shop): the "
                        + "catalog no longer has that datasource, and its password was not kept; add it again (tapflow "
                        + "datasource add gone ...) and run delete again");
    }

    private static void execute(PostgresServer pg, String db, String... statements) throws SQLException {
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static List<String> slots(PostgresServer pg, String db) throws SQLException {
        List<String> slots = new ArrayList<>();
        try (Connection c = pg.connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT slot_name FROM pg_replication_slots WHERE database = current_database()")) {
            while (rs.next()) {
                slots.add(rs.getString(1));
            }
        }
        return slots;
    }
}
