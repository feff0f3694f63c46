package io.tapflow.cli.command;

import io.tapflow.cli.CliRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.servers.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the job commands say, and which exit code they return, before any cluster is involved. */
class JobCommandsTest {
    private static final String SECRET = "s3cret-pw";

    @RegisterExtension
    final CliRun cli = new CliRun();



    private int run(String... args) {
        return cli.run(args);
    }

    private Path pipelineWith(String password) throws Exception {
        assertThat(run("datasource", "add", "src", "--type", "mysql", "-o", "host=localhost", "-o", "username=cdc",
                "-o", "password=" + password, "-o", "database=shop")).isZero();
        assertThat(run("datasource", "add", "dst", "--type", "postgres", "-o", "host=localhost", "-o", "username=pg",
                "-o", "password=${env:PG_PASSWORD}", "-o", "database=dwh")).isZero();
        Path file = cli.home().resolve("p.json");
        Files.writeString(file, "{\"name\": \"p\", \"source\": {\"datasource\": \"src\", \"tables\": [\"customer\"]}, "
                + "\"target\": {\"datasource\": \"dst\"}, \"settings\": {\"parallelism\": 1, \"checkpointIntervalMs\": 1000}}");
        return file;
    }

    @Test
    void deleteOfAPipelineNothingKnowsSaysSoBeforeTheClusterIsUnreachable() {
        assertThat(run("delete", "nosuch", "--yes", "--flink", "http://localhost:" + FreePorts.pick())).isEqualTo(1);
        assertThat(cli.err()).startsWith("error: unknown pipeline 'nosuch': it did not run here with 'tapflow run' nor was it "
                + "started with 'tapflow start', and to look for a job of that name on a cluster: no Flink cluster answers at")
                .hasLineCount(1);
    }

    @Test
    void literalSecretIsNeverShippedToACluster() throws Exception {
        Path file = pipelineWith(SECRET);
        assertThat(run("start", file.toString(), "--flink", "http://localhost:" + FreePorts.pick())).isEqualTo(1);
        assertThat(cli.err()).contains("datasource 'src' option 'password' hold(s) a literal secret")
                .contains("${env:NAME}").doesNotContain(SECRET);
    }

    @Test
    void unreachableClusterIsExplained() throws Exception {
        Path file = pipelineWith("${env:MYSQL_PASSWORD}");
        String url = "http://localhost:" + FreePorts.pick();
        assertThat(run("start", file.toString(), "--flink", url)).isEqualTo(1);
        assertThat(cli.err()).startsWith("error: no Flink cluster answers at " + url)
                .contains("tapflow cluster start").contains("TAPFLOW_FLINK_URL");
        for (String[] command : new String[][] {{"jobs"}, {"status", "p"}, {"stop", "p"}, {"logs", "p"}, {"monitor", "p"}}) {
            String[] withUrl = java.util.Arrays.copyOf(command, command.length + 2);
            withUrl[command.length] = "--flink";
            withUrl[command.length + 1] = url;
            assertThat(run(withUrl)).as(String.join(" ", command)).isEqualTo(1);
            assertThat(cli.err()).as(String.join(" ", command)).startsWith("error: no Flink cluster answers at " + url);
        }
    }

    @Test
    void clusterUrlFromTheConfigFile() throws Exception {
        String url = "http://localhost:" + FreePorts.pick();
        Files.writeString(cli.home().resolve("config.properties"), "flink.url=" + url + "\n");
        assertThat(run("jobs")).isEqualTo(1);
        assertThat(cli.err()).startsWith("error: no Flink cluster answers at " + url);
    }

    @Test
    void localClusterRefusesAPortInUse() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            assertThat(run("cluster", "start", "--port", String.valueOf(taken.getLocalPort()))).isEqualTo(1);
            assertThat(cli.err()).contains("port " + taken.getLocalPort() + " is in use");
        }
    }

    @Test
    void localClusterStatusWhenNoneRuns() {
        assertThat(run("cluster", "status")).isEqualTo(1);
        assertThat(cli.out()).contains("the local Flink cluster is not running; start it with 'tapflow cluster start'");
        assertThat(run("cluster", "stop")).isZero();
        assertThat(cli.out()).contains("was not running");
    }
}
