package io.tapflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's first command, minus the dashboard: servers, snapshot, live changes with latency, clean stop; the same
 * with --targets into a real Elasticsearch and Kafka.
 */
class QuickstartITCase {
    @TempDir
    Path home;

    @Test
    void quickstartShowsLiveChangesArrivingAndCleansUp() throws Exception {
        String out = quickstart("--rows", "200", "--changes", "4");
        assertThat(out)
                .contains("MongoDB emulator")
                .contains("snapshot: 200 rows in PostgreSQL and MongoDB")
                .containsPattern("#4 +(INSERT|UPDATE|DELETE) customer id=\\d+.*-> PostgreSQL +\\d+ ms \\| MongoDB \\(emulator\\) +\\d+ ms");
    }

    @Test
    void quickstartWithElasticsearchAndKafkaTargetsShowsEachChangeInBoth() throws Exception {
        String out = quickstart("--rows", "100", "--changes", "4", "--targets", "es,kafka");
        assertThat(out)
                .contains("starting MariaDB (embedded, binlog on), Elasticsearch 7.10 (child JVM) and Kafka 3.9 (child JVM)")
                .contains("topic quickstart-kafka.demo.customer (debezium-json)")
                .contains("snapshot: 100 rows in Elasticsearch and Kafka")
                .containsPattern("#4 +(INSERT|UPDATE|DELETE) customer id=\\d+.*-> Elasticsearch +\\d+ ms \\| Kafka +\\d+ ms");
    }

    /** Ctrl-C while changes flow, as the README says: everything stops and is removed, with no error on the way out. */
    @Test
    void ctrlCStopsEverythingAndRemovesItsFiles() throws Exception {
        LauncherProcess quickstart = LauncherProcess.start(home, "quickstart", "--rows", "20", "--interval-ms", "200",
                "--web-port", "-1");
        quickstart.await(() -> quickstart.output().contains("#2 "), "live changes", Duration.ofMinutes(6));
        assertThat(quickstart.stop("INT")).as(quickstart.output()).isEqualTo(130);
        assertThat(quickstart.output()).contains("stopped; removed " + home.resolve("quickstart-" + quickstart.pid()))
                .doesNotContain("error").doesNotContain("Exception");
        try (Stream<Path> left = Files.list(home)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("quickstart-"));
        }
    }

    /** A second quickstart while one runs is told that the dashboard's port is taken, before it starts anything. */
    @Test
    void aTakenDashboardPortIsAUsageErrorBeforeAnythingStarts() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cmd = TapflowCli.commandLine();
            cmd.setOut(new PrintWriter(out, true));
            cmd.setErr(new PrintWriter(err, true));
            assertThat(cmd.execute("quickstart", "--web-port", String.valueOf(taken.getLocalPort()))).isEqualTo(2);
            assertThat(err.toString()).isEqualTo("error: --web-port " + taken.getLocalPort() + ": the port is in use on "
                    + "127.0.0.1 (another tapflow run or quickstart, or a Flink cluster?); choose another port, or -1 for no "
                    + "dashboard (see 'tapflow quickstart --help')\n");
            assertThat(out.toString()).isEmpty();
        }
    }

    /** Runs the command as the README does, minus the dashboard; checks it ends well and leaves nothing behind. */
    private String quickstart(String... options) throws Exception {
        System.setProperty("tapflow.home", home.toString());
        try {
            StringWriter out = new StringWriter();
            CommandLine cmd = TapflowCli.commandLine();
            cmd.setOut(new PrintWriter(out, true));
            List<String> args = new ArrayList<>(List.of("quickstart", "--interval-ms", "100", "--web-port", "-1"));
            args.addAll(List.of(options));
            int exit = cmd.execute(args.toArray(String[]::new));
            System.out.println(out); // what a user sees, in the build log
            assertThat(exit).as(out.toString()).isZero();
            try (Stream<Path> left = Files.list(home)) {
                assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("quickstart-"));
            }
            return out.toString();
        } finally {
            System.clearProperty("tapflow.home");
        }
    }
}
