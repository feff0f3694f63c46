package io.tapflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code tapflow run script.py|.js} when the script is wrong: one message naming file and line, exit code 1, and
 * nothing saved to the catalog or started. (A script that runs end to end: flink-jobs' ScriptPipelineITCase.)
 */
class RunScriptITCase {
    private static final String ORDERS_PY = """
            DataSource('mysql', 'MySQL_ECommerce', {'host': 'localhost', 'port': 3306, 'database': 'shop', 'username': 'u', 'password': 'p'}).type('source').save()
            DataSource("mongodb", "MongoDB_ECommerce", {"uri": "mongodb://localhost:27017/shop"}).type("target").save()
            def pyfunc(record):
                if not record['order_status']:
                    record['order_status'] = 'invalid'
                return record

            flow = Flow("orders_flow").read_from("MySQL_Ecom.ecom_orders") \\
                .py(pyfunc).write_to("MongoDB_ECommerce.orders").save()
            flow.start()
            """;

    @RegisterExtension
    final CliRun cli = new CliRun();



    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void unknownDataSourceInAPythonScriptNamesFileAndLine() throws Exception {
        Path script = Files.writeString(cli.home().resolve("orders.py"), ORDERS_PY);
        assertThat(run("run", script.toString(), "--web-port", "-1")).isEqualTo(1);
        assertThat(cli.err()).isEqualTo("error: orders.py:8: unknown datasource 'MySQL_Ecom'; "
                + "known datasources: MongoDB_ECommerce, MySQL_ECommerce" + System.lineSeparator());
        assertThat(cli.home().resolve("datasources")).doesNotExist();
    }

    @Test
    void aScriptMayStartAtMostOnePipeline() throws Exception {
        Path script = Files.writeString(cli.home().resolve("two.js"), """
                DataSource('postgres', 'pg', {host: 'h', username: 'u', database: 'd'}).save();
                Flow('a').read_from('pg.x').write_to('pg.y').start();
                Flow('b').read_from('pg.x').write_to('pg.z').start();
                """);
        assertThat(run("run", script.toString(), "--web-port", "-1")).isEqualTo(1);
        assertThat(cli.err()).startsWith("error: two.js starts 2 pipelines ([a, b]); 'tapflow run' runs exactly one");
        assertThat(cli.out()).isEmpty();
        assertThat(cli.home().resolve("datasources")).doesNotExist();
    }

    @Test
    void aCustomQuerySaysHowItRunsBeforeAnythingStarts() throws Exception {
        Path script = Files.writeString(cli.home().resolve("query.py"), """
                DataSource('mysql', 'down', {'host': '127.0.0.1', 'port': 1, 'username': 'u', 'database': 'shop'}).save()
                DataSource('postgres', 'pg', {'host': '127.0.0.1', 'port': 1, 'username': 'u', 'database': 'shop'}).save()
                Flow('q').read_from('down.orders', query="SELECT * FROM orders WHERE status = 'paid'").write_to('pg.paid').start()
                """);
        assertThat(run("run", script.toString(), "--web-port", "-1")).isEqualTo(1);
        assertThat(cli.out()).contains("read_from('down.orders', query=...): a query result cannot carry changes, so tapflow"
                + " streams table orders filtered by status = 'paid' (snapshot, then every change)");
        assertThat(cli.err()).contains("datasource 'down' (mysql at 127.0.0.1:1): cannot connect");
    }
}
