package io.tapflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The README's first command, minus the dashboard: servers, snapshot, live changes with latency, clean stop. */
class QuickstartITCase {
    @TempDir
    Path home;

    @Test
    void quickstartShowsLiveChangesArrivingAndCleansUp() throws Exception {
        System.setProperty("tapflow.home", home.toString());
        try {
            StringWriter out = new StringWriter();
            CommandLine cmd = TapflowCli.commandLine();
            cmd.setOut(new PrintWriter(out, true));
            int exit = cmd.execute("quickstart", "--rows", "200", "--changes", "4", "--interval-ms", "100", "--web-port", "-1");
            assertThat(exit).as(out.toString()).isZero();
            assertThat(out.toString())
                    .contains("MongoDB emulator")
                    .contains("snapshot: 200 rows in PostgreSQL and MongoDB")
                    .containsPattern("#4 +(INSERT|UPDATE|DELETE) customer id=\\d+.*-> PostgreSQL +\\d+ ms \\| MongoDB \\(emulator\\) +\\d+ ms");
            try (Stream<Path> left = Files.list(home)) {
                assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("quickstart-"));
            }
        } finally {
            System.clearProperty("tapflow.home");
        }
    }
}
