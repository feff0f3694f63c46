package io.tapflow.cli;

import io.tapflow.cli.shell.ShellCommands;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapflow.servers.SharedServers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tapflow explain} on the table-pattern example {@code examples/json/orders-tables.json} against real MariaDB and
 * PostgreSQL: the matched tables, keys, columns after each step, the DDL that would create each target table (and
 * that it creates none), an existing target table said to exist, the JSON form, the shell's {@code explain}, and a
 * pattern matching nothing as a one-line error.
 */
class ExplainCommandITCase {
    private static final Path EXAMPLE = Path.of("..", "examples", "json", "orders-tables.json");

    @RegisterExtension
    final CliRun cli = new CliRun();

    @TempDir
    Path dir;

    @Test
    void explainsTheTablePatternExampleWithoutCreatingAnything() throws Exception {
        String db = "explaincli_" + ProcessHandle.current().pid();
        ExampleCatalog.setUp(cli, db, Files.readString(Path.of("..", "examples", "demo-tables.sql"))
                + ";CREATE TABLE old_orders (id INT PRIMARY KEY)");

        assertThat(cli.run("explain", EXAMPLE.toString())).as(cli.out() + cli.err()).isZero();
        String text = cli.out();
        assertThat(text).contains("pipeline 'orders-tables' writes to 'demo-pg' (postgres)",
                "source 'demo-mysql' (mysql), tables matching .*orders except old_.*: 2 tables",
                "  " + db + ".ecom_orders, " + db + ".orders",
                "table " + db + ".orders (source 'demo-mysql'), key [id]",
                "  columns: id int(11) not null, item varchar(32), amount decimal(10,2)",
                "  as read",
                "  after rename_tables (",
                "  -> target table copy_orders (would be created):",
                "     CREATE TABLE \"public\".\"copy_orders\" (",
                "table " + db + ".ecom_orders (source 'demo-mysql'), key [order_id]",
                "schema changes in a source table (policy lenient):",
                "ADD COLUMN", "ALTER TABLE ... ADD COLUMN", "DROP COLUMN", "the target column stays, written NULL from then on",
                "RENAME COLUMN", "MODIFY (type)", "CREATE TABLE", "DROP TABLE", "TRUNCATE")
                .contains("id*, item, amount, status, carrier, purchase_ts, code, note")
                .doesNotContain("old_orders").doesNotContain(SharedServers.mariaDb().cdcPassword());
        assertThat(tableExists(db, "copy_orders")).as("explain creates nothing").isFalse();

        pg(db, "CREATE TABLE copy_orders (id INT PRIMARY KEY, item VARCHAR(32), amount NUMERIC(10,2), status CHAR(1), "
                + "carrier VARCHAR(32), purchase_ts TIMESTAMP, code VARCHAR(8), note VARCHAR(64))");
        assertThat(cli.run("explain", EXAMPLE.toString(), "--json")).as(cli.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(cli.out());
        assertThat(json.path("sources").path(0).path("tables")).hasSize(2);
        JsonNode orders = json.path("tables").path(1);
        assertThat(orders.path("sourceTable").asText()).isEqualTo(db + ".orders");
        assertThat(orders.path("targetTable").asText()).isEqualTo("copy_orders");
        assertThat(orders.path("targetExists").asBoolean()).isTrue();
        assertThat(orders.path("createStatement").isNull()).isTrue();
        assertThat(json.path("tables").path(0).path("createStatement").asText()).startsWith("CREATE TABLE \"public\".\"copy_ecom_orders\"");
        assertThat(orders.path("steps")).hasSize(2);
        assertThat(json.path("schemaChanges")).hasSize(8);
        assertThat(json.path("schemaChangePolicy").asText()).isEqualTo("lenient");

        StringWriter shell = new StringWriter();
        try (ShellCommands commands = new ShellCommands(new PrintWriter(shell, true), false)) {
            commands.execute("explain " + EXAMPLE);
        }
        assertThat(shell.toString()).contains("-> target table copy_orders (exists; written as it is)");

        Path none = dir.resolve("none.json");
        Files.writeString(none, Files.readString(EXAMPLE).replace(".*orders", "shop\\\\.order_.*"));
        assertThat(cli.run("explain", none.toString())).isEqualTo(1);
        assertThat(cli.err().strip()).startsWith("error: ").contains("no table of " + db + " matches 'shop\\.order_.*'")
                .doesNotContain("\tat ");
    }

    /**
     * The lookup example {@code examples/json/orders-wide.json}: each lookup with its table, key and join, the shape it
     * gives the row, and the target columns it implies (flattened columns typed from the looked-up table; a jsonb
     * column for the embedded array in PostgreSQL).
     */
    @Test
    void explainsTheLookupsOfTheWideTableExample() throws Exception {
        String db = "explainlookup_" + ProcessHandle.current().pid();
        ExampleCatalog.setUp(cli, db, Files.readString(Path.of("..", "examples", "demo-tables.sql")));
        Path example = Path.of("..", "examples", "json", "orders-wide.json");

        assertThat(cli.run("explain", example.toString())).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).contains(
                "lookup (flattened 'customer_'): table " + db + ".ecom_customers (source 'demo-mysql'), key [customer_id], "
                        + "joined on customer_id = customer_id",
                "  adds the matching row's fields (null when none matches)",
                "  -> target columns customer_customer_id varchar(32), customer_customer_city varchar(32), customer_customer_state char(2)",
                "lookup items: table " + db + ".ecom_order_items (source 'demo-mysql'), key [order_id, order_item_id], "
                        + "joined on order_id = order_id",
                "  embeds every matching row as array field 'items', elements ordered and identified by [order_item_id]",
                "order_id*, order_item_id*, product_id, price",
                "  -> target column items jsonb");
        assertThat(cli.run("explain", example.toString(), "--json")).as(cli.err()).isZero();
        JsonNode lookups = new ObjectMapper().readTree(cli.out()).path("lookups");
        assertThat(lookups).hasSize(2);
        assertThat(lookups.path(1).path("shape").asText()).isEqualTo("array");
        assertThat(lookups.path(1).path("targetColumns").path(0).path("type").asText()).isEqualTo("jsonb");
        assertThat(lookups.path(0).path("targetColumns")).hasSize(3);
    }

    /** A Python script with TapFlow's filterColumn and rowFilter is explained (a stop once saw it print nothing). */
    @Test
    void explainsAScriptWithAColumnAndARowFilter() throws Exception {
        String db = "explainscript_" + ProcessHandle.current().pid();
        ExampleCatalog.setUp(cli, db, Files.readString(Path.of("..", "examples", "demo-tables.sql")));
        Path script = dir.resolve("filtered.py");
        Files.writeString(script, "Flow('filtered').read_from('demo-mysql.orders')"
                + ".filterColumn(['id', 'item', 'amount'], FilterType.keep)"
                + ".rowFilter('record.amount > 10', rowFilterType=RowFilterType.retain)"
                + ".write_to('demo-pg.filtered_orders').save()\n");

        assertThat(cli.run("explain", script.toString())).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).contains("pipeline 'filtered' writes to 'demo-pg' (postgres)",
                "table " + db + ".orders (source 'demo-mysql'), key [id]", "id*, item, amount",
                "-> target table filtered_orders (would be created):");
    }

    private static void pg(String db, String... sql) throws Exception {
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    private static boolean tableExists(String db, String table) throws Exception {
        try (Connection c = SharedServers.postgres().connect(db);
             java.sql.ResultSet rs = c.getMetaData().getTables(null, "public", table, null)) {
            return rs.next();
        }
    }
}
