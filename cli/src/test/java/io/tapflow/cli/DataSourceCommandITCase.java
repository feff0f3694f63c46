package io.tapflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.SharedServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The datasource commands against a real MariaDB, as a user types them; output and exit codes are what they see. */
class DataSourceCommandITCase {
    @RegisterExtension
    final CliRun cli = new CliRun();
    private MariaDbServer mariaDb;

    @BeforeEach
    void setUp() throws SQLException {
        mariaDb = SharedServers.mariaDb();
        mariaDb.createDatabase("cli_demo");
        try (var c = mariaDb.connectAsAdmin("cli_demo")) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS customer (id INT PRIMARY KEY)");
        }
    }


    private int run(String... args) {
        return cli.run(args);
    }

    private String[] addMariaDb(String name, String password) {
        return new String[] {"datasource", "add", name, "--type", "mariadb", "-o", "host=" + mariaDb.host(),
                "-o", "port=" + mariaDb.port(), "-o", "username=" + mariaDb.cdcUser(), "-o", "password=" + password,
                "-o", "database=cli_demo"};
    }

    @Test
    void addListShowTestRemove() throws Exception {
        assertThat(run(addMariaDb("demo", mariaDb.cdcPassword()))).isZero();
        assertThat(cli.out()).contains("saved datasource 'demo' (mariadb)");

        assertThat(run("datasource", "list")).isZero();
        assertThat(cli.out()).contains("demo").contains("mariadb").contains("cli_demo");

        assertThat(run("datasource", "show", "demo")).isZero();
        assertThat(cli.out()).contains("password: ******").doesNotContain(mariaDb.cdcPassword());

        assertThat(run("datasource", "test", "demo")).isZero();
        assertThat(cli.out()).contains("ok: connected to 'demo'; 1 table(s): customer");

        assertThat(Files.readString(cli.home().resolve("datasources/demo.json"))).contains("\"type\" : \"mariadb\"");
        assertThat(run("datasource", "remove", "demo")).isZero();
        assertThat(run("datasource", "show", "demo")).isEqualTo(1);
        assertThat(cli.err()).contains("unknown datasource 'demo'");
    }

    @Test
    void wrongPasswordIsExplainedWithoutShowingIt() {
        assertThat(run(addMariaDb("bad-pw", "not-the-password"))).isZero();
        assertThat(run("datasource", "test", "bad-pw")).isEqualTo(1);
        assertThat(cli.err()).contains("access denied for user 'tapflow': wrong user name or password")
                .doesNotContain("not-the-password").doesNotContain("at io.tapflow");
    }

    @Test
    void envReferencesResolveWhenConnecting() {
        assertThat(run(addMariaDb("env-pw", "${env:TAPFLOW_DOES_NOT_EXIST}"))).isZero();
        assertThat(run("datasource", "show", "env-pw")).isZero();
        assertThat(cli.out()).contains("password: ${env:TAPFLOW_DOES_NOT_EXIST}");
        assertThat(run("datasource", "test", "env-pw")).isEqualTo(1);
        assertThat(cli.err()).contains("refers to environment variable TAPFLOW_DOES_NOT_EXIST, which is not set");
    }

    @Test
    void badDefinitionsAreRefusedAndNothingIsSaved() {
        assertThat(run("datasource", "add", "x", "--type", "oracle9", "-o", "host=h")).isEqualTo(1);
        assertThat(cli.err()).contains("unknown datasource type 'oracle9'; known types: elasticsearch, es, kafka, mariadb, mongo, mongodb, mysql, postgres");
        assertThat(run("datasource", "add", "y", "--type", "mysql", "-o", "host=h")).isEqualTo(1);
        assertThat(cli.err()).contains("missing required option 'username'").contains("missing required option 'database'");
        assertThat(cli.home().resolve("datasources/x.json")).doesNotExist();
        assertThat(cli.home().resolve("datasources/y.json")).doesNotExist();
    }

    @Test
    void unreachableHostSaysWhereAndVerboseAddsTheStackTrace() {
        assertThat(run("datasource", "add", "down", "--type", "mysql", "-o", "host=127.0.0.1", "-o", "port=1",
                "-o", "username=u", "-o", "database=d")).isZero();
        assertThat(run("datasource", "test", "down")).isEqualTo(1);
        assertThat(cli.err()).contains("datasource 'down' (mysql at 127.0.0.1:1): cannot connect").doesNotContain("\tat ");
        assertThat(run("datasource", "test", "down", "-v")).isEqualTo(1);
        assertThat(cli.err()).contains("\tat ");
    }

    @Test
    void runRefusesAPipelineWithAnUnknownDataSource() throws Exception {
        Path pipeline = cli.home().resolve("p.json");
        Files.writeString(pipeline, "{\"name\":\"p\",\"source\":{\"datasource\":\"nope\",\"tables\":[\"t\"]},"
                + "\"target\":{\"datasource\":\"nope2\",\"table\":\"t\"}}");
        assertThat(run("run", pipeline.toString(), "--web-port", "-1")).isEqualTo(1);
        assertThat(cli.err()).contains("source: unknown datasource 'nope'").contains("target: unknown datasource 'nope2'");
    }
}
