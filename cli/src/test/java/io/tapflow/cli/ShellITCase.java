package io.tapflow.cli;

import io.tapflow.cli.catalog.Catalog;
import io.tapflow.cli.catalog.SavepointHistory;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.PipelineValidator;
import io.tapflow.dsl.TableRef;
import io.tapflow.servers.FreePorts;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.MongoTestServer;
import io.tapflow.servers.PostgresServer;
import io.tapflow.servers.SharedServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code tapflow shell} with commands piped in, against a real MariaDB, PostgreSQL and the MongoDB emulator. */
class ShellITCase {
    static final String DB = "shell_demo";
    @RegisterExtension
    final CliRun cli = new CliRun();
    private MariaDbServer mariaDb;
    private PostgresServer pg;

    @BeforeEach
    void setUp() throws Exception {
        mariaDb = SharedServers.mariaDb();
        pg = SharedServers.postgres();
        MongoTestServer mongo = SharedServers.mongo();
        mariaDb.createDatabase(DB);
        pg.createDatabase(DB);
        try (Connection c = mariaDb.connectAsAdmin(DB); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS customer");
            s.execute("DROP TABLE IF EXISTS orders");
            s.execute("DROP TABLE IF EXISTS dated");
            s.execute("CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(32) NOT NULL, balance DECIMAL(10,2))");
            s.execute("INSERT INTO customer VALUES (1, 'Ada', 10.50), (2, 'Grace', NULL), (3, 'Linus', 7.00)");
            s.execute("CREATE TABLE orders (id INT PRIMARY KEY)");
        }
        try (Connection c = pg.connect(DB); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS customer");
            s.execute("CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(32), joined DATE)");
            s.execute("INSERT INTO customer VALUES (1, 'Ada', '2024-01-02'), (2, 'Grace', NULL)");
        }
        try (MongoClient client = MongoClients.create(mongo.connectionString())) {
            var customers = client.getDatabase(DB).getCollection("customer");
            customers.drop();
            customers.insertMany(List.of(new Document("_id", 1).append("name", "Ada").append("tags", List.of("a", "b")),
                    new Document("_id", 2).append("name", "Grace").append("balance", 2.5)));
        }
        assertThat(cli.run("datasource", "add", "maria", "--type", "mariadb", "-o", "host=" + mariaDb.host(), "-o", "port=" + mariaDb.port(),
                "-o", "username=" + mariaDb.cdcUser(), "-o", "password=" + mariaDb.cdcPassword(), "-o", "database=" + DB)).isZero();
        assertThat(cli.run("datasource", "add", "pg", "--type", "postgres", "-o", "host=" + pg.host(), "-o", "port=" + pg.port(),
                "-o", "username=" + pg.user(), "-o", "password=" + pg.password(), "-o", "database=" + DB)).isZero();
        assertThat(cli.run("datasource", "add", "mg", "--type", "mongodb", "-o", "uri=" + mongo.connectionString(),
                "-o", "database=" + DB)).isZero();
    }

    private String shell(String... lines) throws Exception {
        return ShellProcess.piped(cli.home(), Map.of(), String.join("\n", lines) + "\n");
    }

    @Test
    void browsesMariaDbTables() throws Exception {
        String out = shell("show dbs", "use maria", "show tables", "show tables ord*", "desc customer", "peek customer -n 2",
                "count customer", "validate maria");
        assertThat(out).contains("maria", "mariadb", "pg", "postgres", "mg", "mongodb")
                .contains("using datasource 'maria' (mariadb)")
                .contains("2 table(s) in 'maria'", "1 table(s) in 'maria'")
                .containsPattern("id\\s+int not null\\s+PK")
                .containsPattern("name\\s+varchar\\(32\\) not null")
                .containsPattern("balance\\s+decimal\\(10,2\\)\n")
                .containsPattern("id\\s+name\\s+balance\n1\\s+Ada\\s+10.50\n2\\s+Grace\\s+NULL\n2 row\\(s\\)")
                .containsPattern("tap> 3\n")
                .contains("ok: connected to 'maria'; 2 table(s)")
                .doesNotContain(mariaDb.cdcPassword()).doesNotContain("\tat ");
    }

    @Test
    void browsesPostgresAndMongoDb() throws Exception {
        String out = shell("use pg", "desc customer", "peek customer", "count customer",
                "use mg", "show tables", "desc customer", "peek customer -n 1", "count customer");
        assertThat(out).contains("using datasource 'pg' (postgres)")
                .containsPattern("id\\s+int4 not null\\s+PK")
                .containsPattern("joined\\s+date\n")
                .containsPattern("1\\s+Ada\\s+2024-01-02\n2\\s+Grace\\s+NULL\n2 row\\(s\\)")
                .containsPattern("tap> 2\n")
                .contains("using datasource 'mg' (mongodb)")
                .containsPattern("_id\\s+int\\s+PK")
                .containsPattern("tags\\s+array")
                .containsPattern("balance\\s+double")
                .containsPattern("_id\\s+name\\s+tags\n1\\s+Ada\\s+\\[\"a\", \"b\"\\]\n1 row\\(s\\)");
    }

    @Test
    void errorsPrintOneLineAndTheShellGoesOn() throws Exception {
        String out = shell("desc customer", "use nope", "use maria", "peek missing", "peek customer -n x", "frobnicate",
                "logs job", "help postgres", "count customer", "exit", "show dbs");
        assertThat(out).contains("error: no datasource in use; pick one with: use <datasource> (see: show dbs)")
                .contains("error: unknown datasource 'nope'; known datasources: maria, mg, pg")
                .contains("error: no table 'missing' in datasource 'maria' (mariadb); tables: customer, orders")
                .contains("error: peek takes: peek <table> [-n N] with N a whole number")
                .contains("error: unknown command 'frobnicate'")
                .contains("error: missing argument; usage: logs job <name> [limit=N] [tail=True]")
                .containsPattern("required options:\n  host .*\n  username .*\n  database .*\noptional options:\n  password ")
                .containsPattern("tap> 3\n")
                .doesNotContain("\tat ");
        // 'exit' left the shell: the command after it never ran.
        assertThat(out.substring(out.indexOf("tap> 3"))).doesNotContain("NAME");
    }

    @Test
    void pythonDslStatementsSaveDataSourcesAndPipelines() throws Exception {
        String out = ShellProcess.piped(cli.home(), Map.of(FlinkOptions.VARIABLE, "http://127.0.0.1:" + FreePorts.pick()), String.join("\n",
                "target = 'pg'",
                "DataSource('postgres', 'pg2', {'host': '" + pg.host() + "', 'port': '" + pg.port() + "', 'username': '"
                        + pg.user() + "', 'password': 'not-shown', 'database': '" + DB + "'}).save()",
                "def shout(record):",
                "    record['name'] = record['name'].upper()",
                "    return record",
                "",
                "Flow('loud').read_from('maria.customer').py(shout).write_to(target + '.loud_customer').save()",
                "Flow('bad').read_from('nope.customer').save()",
                "show loud",
                "show nope",
                "show dbs",
                "start job loud",
                "start job never-saved",
                "count",
                "") + "\n");
        assertThat(out).contains("saved datasource 'pg2' (postgres)")
                .contains("saved pipeline 'loud' to " + cli.home().resolve("pipelines/loud.json"))
                .contains("error: unknown datasource 'nope'")
                .containsPattern("pg2\\s+postgres")
                .contains("error: no saved pipeline 'never-saved'; saved: loud")
                .contains("def shout(record):\n    record['name'] = record['name'].upper()\n    return record\n\nFlow('loud')")
                .contains(".py(shout) \\\n    .write_to('pg.loud_customer')")
                .contains("error: job 'nope' was not started from this TAPFLOW_HOME (" + cli.home() + "); its definition is not "
                        + "known here. Saved pipelines: loud")
                .contains("error: missing argument; usage: count <table>")
                .doesNotContain("not-shown");
        // 'start job' runs 'tapflow start', which refuses literal passwords in job arguments: one line, and the shell goes on.
        assertThat(out).containsPattern("tap> error: cannot submit pipeline 'loud' to a Flink cluster: [^\n]*literal secret[^\n]*\ntap> ");
        String pipeline = Files.readString(cli.home().resolve("pipelines/loud.json"));
        assertThat(pipeline).contains("\"name\" : \"loud\"").contains("upper()").contains("loud_customer");
        // The datasource saved in the shell is in the catalog for every later command.
        assertThat(cli.run("datasource", "show", "pg2")).isZero();
        assertThat(cli.out()).contains("password: ******");
        // The history survives the session.
        // ... owner-only, without the password typed into the DataSource line (issue 11: it was there in clear, 0644).
        Path history = cli.home().resolve("shell_history");
        assertThat(Files.readString(history)).contains("start job loud").contains("'password': '******'").doesNotContain("not-shown");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(history))).isEqualTo("rw-------");
    }

    @Test
    void pythonStatementsShareOneSession() throws Exception {
        String out = shell(
                "print('h' + 'i')",
                "n = 20",
                "def twice(v):",
                "    return v * 2",
                "",
                "print('n is', twice(n) + 2)",
                "print(n / 0)",
                "for i in range(2):",
                "    n += 1",
                "",
                "print('still', n)",
                "Flow('copy').read_from('maria.customer').exclude('balance').write_to('pg.customer_copy').save()",
                "print('done')");
        // Each statement runs once: an earlier print is not repeated, and a saved pipeline is saved once.
        assertThat(out.split("hi\n", -1)).hasSize(2);
        assertThat(out.split("saved pipeline 'copy'", -1)).hasSize(2);
        assertThat(out).contains("n is 42\n", "still 22\n", "done\n")
                .containsPattern("tap> error: [^\n]*ZeroDivisionError[^\n]*\ntap> ")
                .doesNotContain("\tat ");
    }

    @Test
    void showPrintsTheDefinitionOfAJobStartedFromThisHome() throws Exception {
        // What 'tapflow start' records once Flink took the job (ShellJobsITCase submits one to a real cluster).
        Pipeline started = Pipeline.named("json-job").readFrom(new TableRef("maria", "customer")).exclude("balance")
                .writeTo(new TableRef("pg", "customer_copy"));
        SavepointHistory.of("json-job").recordStarted(PipelineValidator.validate(started, Catalog.open().all()));
        String out = shell("show json-job", "show ghost");
        assertThat(out).contains("Flow('json-job') \\\n    .read_from('maria.customer') \\\n    .exclude(['balance']) \\\n"
                        + "    .write_to('pg.customer_copy').save()\n")
                .contains("error: job 'ghost' was not started from this TAPFLOW_HOME (" + cli.home() + "); its definition is not "
                        + "known here. Saved pipelines: none")
                // The recorded spec holds the datasources too; show prints only the pipeline.
                .doesNotContain(mariaDb.cdcPassword()).doesNotContain(pg.password());
    }

    @Test
    void tapflowsShellGuideAsWritten() throws Exception {
        try (Connection c = mariaDb.connectAsAdmin(DB); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS dated");
            s.execute("CREATE TABLE dated (id INT PRIMARY KEY, at DATETIME)");
            s.execute("INSERT INTO dated VALUES (1, '2017-10-02 19:32:06')");
        }
        // TapFlow's README: a DataSource over several lines, then .type() and .save() each on a line of its own;
        // a backslash-continued Flow followed at once by another statement; its shell guide's command spellings.
        String out = shell(
                "mysql_conn = DataSource('mysql', 'MySQL_ECommerce', ",
                "                    {",
                "                    'database': '" + DB + "',  ",
                "                    'port': " + mariaDb.port() + ",",
                "                    'host': '" + mariaDb.host() + "',",
                "                    'username': '" + mariaDb.cdcUser() + "',",
                "                    'password': '" + mariaDb.cdcPassword() + "'",
                "                    })",
                "                    .type('source')",
                "                    .save()                  ",
                "",
                "myflow = Flow(\"simple_data_replication_flow\") \\",
                "       .read_from(\"MySQL_ECommerce.customer\") \\",
                "       .write_to(\"pg.customer_replica\") \\",
                "       .save()",
                "print('flow', myflow is not None)",
                "show datasources",
                "validate datasource MySQL_ECommerce",
                "h mysql",
                "use MySQL_ECommerce",
                "peek dated",
                "x = 1",
                "    .oops()");
        assertThat(out.split("saved datasource 'MySQL_ECommerce' \\(mysql\\)", -1)).hasSize(2);
        assertThat(out).contains("saved pipeline 'simple_data_replication_flow'")
                .contains("tap> flow True\n")
                .containsPattern("MySQL_ECommerce\\s+mysql")
                .contains("ok: connected to 'MySQL_ECommerce'")
                .containsPattern("required options:\n  host ")
                .containsPattern("id\\s+at\n1\\s+2017-10-02T19:32:06\n1 row\\(s\\)")
                .contains("error: AttributeError: 'int' object has no attribute 'oops'")
                .doesNotContain(mariaDb.cdcPassword()).doesNotContain("\tat ");
        assertThat(Files.readString(cli.home().resolve("shell_history"))).doesNotContain(mariaDb.cdcPassword());
        // Every file the shell wrote under TAPFLOW_HOME (catalog, saved pipeline, history) is owner-only.
        try (var files = Files.walk(cli.home())) {
            List<Path> written = files.filter(Files::isRegularFile).toList();
            assertThat(written).extracting(f -> cli.home().relativize(f).toString()).contains("shell_history",
                    "datasources/MySQL_ECommerce.json", "pipelines/simple_data_replication_flow.json");
            for (Path f : written) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------");
            }
        }
    }
}
