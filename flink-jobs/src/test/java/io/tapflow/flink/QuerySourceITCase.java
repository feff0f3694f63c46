package io.tapflow.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.InvalidDefinitionException;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query as a snapshot-only source (TapFlow's {@code read_from(..., query=...)} beyond a filter): the database runs
 * the SELECT once, every row reaches the target with its exact value, and the job finishes. A key that is missing,
 * not unique or NULL in the result, and a query the server refuses, are reported before anything is created.
 */
class QuerySourceITCase {
    @TempDir
    Path checkpoints;

    @Test
    void mariaDbJoinWithGroupingIsReadOnceIntoPostgres() throws Exception {
        String db = TestDatabases.freshName("query_my");
        DataSource shop = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        TestDatabases.mysql(db,
                "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(30) NOT NULL)",
                "CREATE TABLE orders (id BIGINT UNSIGNED PRIMARY KEY, customer INT NOT NULL, amount DECIMAL(12,4) NOT NULL,"
                        + " placed DATETIME(6) NOT NULL, state ENUM('new','paid') NOT NULL, took TIME(3), zero DATE)",
                "INSERT INTO customer VALUES (1, 'Ada'), (2, 'Bob'), (3, 'Cy')",
                "INSERT INTO orders VALUES (18446744073709551615, 1, 0.0001, '2024-02-29 23:59:59.999999', 'paid', '-838:59:59.000', '0000-00-00'),"
                        + " (2, 1, 99999999.9999, '1000-01-01 00:00:00.000001', 'new', '838:59:59.999', NULL),"
                        + " (3, 2, 12.5000, '2024-01-01 00:00:00', 'paid', '00:00:00.001', '2024-01-31')");

        // A join with grouping: no table holds these rows, so the pipeline names the key.
        Pipeline totals = Pipeline.named("query-totals")
                .readQuery(shop.table("customer_totals"), "SELECT c.id AS customer_id, c.name, COUNT(o.id) AS orders,"
                        + " SUM(o.amount) AS total, MAX(o.placed) AS last_placed FROM customer c LEFT JOIN orders o"
                        + " ON o.customer = c.id GROUP BY c.id, c.name;")
                .writeTo(pg.table("customer_totals")).key("customer_id");
        runToEnd(JobPlanner.plan(JobSpec.of(totals, shop, pg)));
        assertThat(PgRows.read(db, "customer_totals", "customer_id")).containsExactly(
                Map.of("customer_id", "1", "name", "Ada", "orders", "2", "total", "100000000",
                        "last_placed", "2024-02-29T23:59:59.999999"),
                Map.of("customer_id", "2", "name", "Bob", "orders", "1", "total", "12.5", "last_placed", "2024-01-01T00:00"),
                row("customer_id", "3", "name", "Cy", "orders", "0", "total", null, "last_placed", null));

        // TapFlow's form: the result named after the table it reads, so its primary key is the key; edge values of
        // every kind (unsigned max, TIME beyond a day, a zero date under zero-date=null) arrive exactly.
        Pipeline top = Pipeline.named("query-top").readQuery(shop.table("orders"),
                        "SELECT id, amount, placed, state, took, zero FROM orders ORDER BY amount DESC LIMIT 10")
                .writeTo(pg.table("top_orders"));
        runToEnd(JobPlanner.plan(JobSpec.of(top, shop, pg)));
        assertThat(PgRows.read(db, "top_orders", "amount")).containsExactly(
                row("id", "18446744073709551615", "amount", "0.0001", "placed", "2024-02-29T23:59:59.999999", "state", "paid",
                        "took", "-838:59:59", "zero", null),
                row("id", "3", "amount", "12.5", "placed", "2024-01-01T00:00", "state", "paid", "took", "00:00:00.001",
                        "zero", "2024-01-31"),
                row("id", "2", "amount", "99999999.9999", "placed", "1000-01-01T00:00:00.000001", "state", "new",
                        "took", "838:59:59.999", "zero", null));
    }

    @Test
    void keyProblemsAndRefusedQueriesAreReportedBeforeAnythingIsCreated() throws Exception {
        String db = TestDatabases.freshName("query_bad");
        DataSource shop = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        TestDatabases.mysql(db, "CREATE TABLE orders (id INT PRIMARY KEY, customer INT, note VARCHAR(10))",
                "INSERT INTO orders VALUES (1, 7, 'a'), (2, 7, 'A'), (3, NULL, 'b')");

        assertThatThrownBy(() -> plan("SELECT customer, COUNT(*) AS n FROM orders GROUP BY customer", "per_customer", shop, pg))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("query per_customer: its rows need a key, and there is no table per_customer");
        assertThatThrownBy(() -> plan("SELECT customer, note FROM orders", "notes", shop, pg, "customer"))
                .hasMessageContaining("1 of its 3 rows have a NULL in key [customer]");
        assertThatThrownBy(() -> plan("SELECT customer, note FROM orders WHERE customer IS NOT NULL", "notes", shop, pg, "customer"))
                .hasMessageContaining("its 2 rows have only 1 distinct values of key [customer]");
        // 'a' and 'A' are equal in the column's collation but two keys in the target: they are distinct.
        JobPlanner.inspect(JobSpec.of(Pipeline.named("q").readQuery(shop.table("notes"), "SELECT note FROM orders")
                .writeTo(pg.table("notes")).key("note"), shop, pg));
        assertThatThrownBy(() -> plan("SELECT id FROM orders", "orders", shop, pg, "nope"))
                .hasMessageContaining("key field(s) [nope] are not columns of its result [id]");
        assertThatThrownBy(() -> plan("SELECT o.id, p.id FROM orders o JOIN orders p ON p.id = o.id", "pairs", shop, pg, "id"))
                .hasMessageContaining("the result has two columns named 'id'; name them apart with AS");
        assertThatThrownBy(() -> plan("SELECT id FROM orders WHER id = 1", "orders", shop, pg))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("query orders of source datasource '" + shop.name() + "'")
                .hasMessageContaining("SQL syntax");
        assertThatThrownBy(() -> plan("DELETE FROM orders", "orders", shop, pg))
                .hasMessageContaining("query orders: only a SELECT (or WITH ... SELECT) can be a source, got 'DELETE FROM orders'");
        assertThat(PgRows.tableExists(db, "per_customer") || PgRows.tableExists(db, "notes")
                || PgRows.tableExists(db, "orders")).isFalse();
    }

    @Test
    void postgresQueryKeepsExactValuesAndRefusesWhatNoValueHolds() throws Exception {
        String db = TestDatabases.freshName("query_pg");
        DataSource src = TestDatabases.postgresSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        TestDatabases.postgres(db,
                "CREATE TABLE reading (id serial PRIMARY KEY, v numeric, at_time time(6), day date, at timestamptz(6), span interval)",
                "INSERT INTO reading (v, at_time, day, at, span) VALUES (123456789012345678901234.000000001, '23:59:59.999999',"
                        + " '4713-01-01 BC', '1500-03-01 12:00:00.000001+00', '-1 mon +2 days -03:00:00.000001'), "
                        + "(-0.5, '00:00:00', '10000-01-01', NULL, NULL)");
        Pipeline exact = Pipeline.named("pg-query").readQuery(src.table("reading_copy"),
                "SELECT id, v, at_time, day, at, span FROM reading ORDER BY id DESC").writeTo(pg.table("reading_copy")).key("id");
        runToEnd(JobPlanner.plan(JobSpec.of(exact, src, pg)));
        assertThat(PgRows.read(db, "reading_copy", "id")).containsExactly(
                row("id", "1", "v", "123456789012345678901234.000000001", "at_time", "23:59:59.999999", "day", "4713-01-01 BC",
                        "at", "1500-03-01 12:00:00.000001+00", "span", "-1 mons +2 days -03:00:00.000001"),
                row("id", "2", "v", "-0.5", "at_time", "00:00:00", "day", "10000-01-01", "at", null, "span", null));

        // The query runs read-only: a WITH that deletes is refused by the server, and nothing is deleted.
        assertThatThrownBy(() -> JobPlanner.plan(JobSpec.of(Pipeline.named("pg-delete").readQuery(src.table("gone"),
                "WITH d AS (DELETE FROM reading RETURNING id) SELECT id FROM d").writeTo(pg.table("gone")).key("id"), src, pg)))
                .hasMessageContaining("read-only transaction");
        assertThat(PgRows.read(db, "reading", "id")).hasSize(2);

        TestDatabases.postgres(db, "INSERT INTO reading (v) VALUES ('NaN')");
        Pipeline nan = Pipeline.named("pg-query-nan").readQuery(src.table("reading_nan"), "SELECT id, v FROM reading")
                .writeTo(pg.table("reading_nan")).key("id");
        RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(nan, src, pg)), TestDatabases.runOptions(checkpoints));
        try (job) {
            assertThatThrownBy(job::awaitTermination).isInstanceOf(TapflowException.class)
                    .hasMessageContaining("table public.reading_nan column v row {id=3}: the value 'NaN' is refused");
        }
    }

    private void runToEnd(JobPlan plan) {
        try (RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            // Returns when the job has finished; throws when it failed.
            job.awaitTermination();
        }
    }

    private static JobPlan plan(String select, String name, DataSource src, DataSource target, String... key) {
        return JobPlanner.plan(JobSpec.of(Pipeline.named("q").readQuery(src.table(name), select)
                .writeTo(target.table(name)).key(key), src, target));
    }

    /** A map that may hold nulls, in the given order. */
    private static Map<String, String> row(String... keysAndValues) {
        Map<String, String> row = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            row.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return row;
    }
}
