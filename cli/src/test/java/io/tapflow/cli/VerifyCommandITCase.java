package io.tapflow.cli;

import io.tapflow.cli.catalog.PipelineSpecs;
import io.tapflow.cli.shell.ShellCommands;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapflow.dsl.JobSpec;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.LocalRunOptions;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.servers.SharedServers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tapflow verify} as a user runs it, on the README's example pipeline file {@code examples/json/verify-orders.json}
 * (a rename and a JS UDF, MariaDB's {@code examples/demo-tables.sql} orders into PostgreSQL): equal after the pipeline ran (exit 0), drift found and listed
 * (exit 3, also as JSON), a dry-run repair changes nothing, a repair makes it equal; a saved pipeline is found by name;
 * the shell's 'verify' and a Python flow's verify() print the same report; while the pipeline runs under load, only
 * lasting differences are reported.
 */
class VerifyCommandITCase {
    private static final Path EXAMPLE = Path.of("..", "examples", "json", "verify-orders.json");

    @RegisterExtension
    final CliRun cli = new CliRun();

    @TempDir
    Path checkpoints;

    @Test
    void verifiesTheExamplePipelineFindsDriftAndRepairsIt() throws Exception {
        String db = "verifycli_" + ProcessHandle.current().pid();
        ExampleCatalog.setUp(cli, db, Files.readString(Path.of("..", "examples", "demo-tables.sql")));
        JobSpec spec = PipelineSpecs.resolve(EXAMPLE.toString());
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(spec),
                new LocalRunOptions(checkpoints, -1, null, SinkOptions.DEFAULTS))) {
            awaitRows(db, 2);
        }
        assertThat(cli.run("verify", EXAMPLE.toString())).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).contains("orders_copy", "result: equal").doesNotContain(SharedServers.postgres().password());

        pg(db, "UPDATE orders_copy SET remark = 'a' WHERE id = 1", "DELETE FROM orders_copy WHERE id = 2",
                "INSERT INTO orders_copy (id, amount) VALUES (9, 1)");
        assertThat(cli.run("verify", EXAMPLE.toString())).isEqualTo(3);
        assertThat(cli.out()).contains("different {id=1}: remark 'A' -> 'a'", "missing {id=2}", "extra {id=9}",
                "result: 1 of 1 table(s) differ");

        assertThat(cli.run("verify", EXAMPLE.toString(), "--json")).isEqualTo(3);
        JsonNode table = new ObjectMapper().readTree(cli.out()).path("tables").path(0);
        assertThat(table.path("matched").asLong()).isZero();
        assertThat(table.path("missing").asLong()).isEqualTo(1);
        assertThat(table.path("extra").asLong()).isEqualTo(1);
        assertThat(table.path("different").asLong()).isEqualTo(1);

        assertThat(cli.run("verify", EXAMPLE.toString(), "--repair", "--dry-run")).isEqualTo(3);
        assertThat(cli.out()).contains("repair would upsert 2 and delete 1 row(s)", "delete {id=9}");
        assertThat(cli.run("verify", EXAMPLE.toString(), "--mode", "count")).as("the dry run changed nothing").isEqualTo(0);
        assertThat(count(db)).isEqualTo(2);

        assertThat(cli.run("verify", EXAMPLE.toString(), "--repair")).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).contains("repaired: upserted 2 and deleted 1 row(s); still different: 0");
        assertThat(cli.run("verify", EXAMPLE.toString())).isZero();

        Files.createDirectories(cli.home().resolve("pipelines"));
        Files.copy(EXAMPLE, cli.home().resolve("pipelines").resolve("verify-orders.json"));
        assertThat(cli.run("verify", "verify-orders", "--mode", "count")).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).contains("(count mode)", "orders_copy");

        StringWriter shellOut = new StringWriter();
        try (ShellCommands shell = new ShellCommands(new PrintWriter(shellOut, true), false)) {
            shell.execute("verify verify-orders --mode count");
            shell.execute("Flow('verify-orders').read_from('demo-mysql.orders').rename_fields({'note': 'remark'})"
                    + ".js('record.remark = record.remark === null ? null : record.remark.toUpperCase(); return record;')"
                    + ".write_to('demo-pg.orders_copy').verify()");
            shell.execute("verify");
        }
        assertThat(shellOut.toString()).contains("verified pipeline 'verify-orders' against target 'demo-pg' (count mode)",
                "verified pipeline 'verify-orders' against target 'demo-pg' (rows mode)",
                "error: missing argument; usage: verify <pipeline>").doesNotContain("differ");
        assertThat(shellOut.toString().split("result: equal", -1)).hasSize(3);
    }

    /**
     * While a load generator keeps changing the source, differences in flight are checked again after the running
     * job's next checkpoint (found on its Flink REST API): none is reported, the injected drift is.
     */
    @Test
    void whileThePipelineRunsOnlyLastingDifferencesAreReported() throws Exception {
        String db = "verifyrun_" + ProcessHandle.current().pid();
        StringBuilder rows = new StringBuilder();
        for (int id = 1; id <= 300; id++) {
            rows.append(id == 1 ? "" : ", ").append("(").append(id).append(", ").append(id).append(".25, 'n").append(id).append("')");
        }
        ExampleCatalog.setUp(cli, db, "CREATE TABLE orders (id INT PRIMARY KEY, amount DECIMAL(10,2), note VARCHAR(40)); INSERT INTO orders VALUES "
                + rows);
        int port = io.tapflow.servers.FreePorts.pick();
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicLong changes = new AtomicLong();
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(PipelineSpecs.resolve(EXAMPLE.toString())),
                new LocalRunOptions(checkpoints, port, null, SinkOptions.DEFAULTS))) {
            awaitRows(db, 300);
            Thread load = new Thread(() -> {
                Random random = new Random(7);
                try (Connection c = SharedServers.mariaDb().connectAsAdmin(db); Statement st = c.createStatement()) {
                    while (loading.get()) {
                        st.execute("UPDATE orders SET amount = amount + 1, note = 'v" + changes.incrementAndGet()
                                + "' WHERE id = " + (11 + random.nextInt(290)));
                        Thread.sleep(10);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            load.start();
            try {
                Thread.sleep(1_000);
                pg(db, "UPDATE orders_copy SET amount = 999 WHERE id = 5");
                assertThat(cli.run("verify", EXAMPLE.toString(), "--json", "--flink", "http://localhost:" + port))
                        .as(cli.out() + cli.err()).isEqualTo(3);
            } finally {
                loading.set(false);
                load.join();
            }
        }
        JsonNode table = new ObjectMapper().readTree(cli.out()).path("tables").path(0);
        assertThat(changes.get()).as("changes made while verifying").isGreaterThan(50);
        assertThat(table.path("different").asLong()).as(cli.out()).isEqualTo(1);
        assertThat(table.path("missing").asLong() + table.path("extra").asLong()).as(cli.out()).isZero();
        assertThat(table.path("examples").path(0).path("key").path("id").asText()).isEqualTo("5");
        assertThat(table.path("examples").path(0).path("fields").path(0).path("field").asText()).isEqualTo("amount");
        System.out.println("verify while loading: " + changes.get() + " source changes; resolved by the re-check: "
                + table.path("resolvedByRecheck").asLong() + ", still changing: " + table.path("changing").asLong());
    }

    @Test
    void anUnknownPipelineGetsOneLineAndExitCodeOne() {
        assertThat(cli.run("verify", "nope")).isEqualTo(1);
        assertThat(cli.err()).startsWith("error: no pipeline file, saved pipeline or started job 'nope'");
    }

    private static void awaitRows(String db, long rows) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (count(db) < rows && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(count(db)).isEqualTo(rows);
    }

    private static long count(String db) {
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM orders_copy")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }

    private static void pg(String db, String... sql) throws Exception {
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }
}
