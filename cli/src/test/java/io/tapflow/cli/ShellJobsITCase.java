package io.tapflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell's job commands with the seed's spellings, on a real multi-process Flink cluster, MariaDB and PostgreSQL. */
class ShellJobsITCase {
    @TempDir
    Path dir;

    @Test
    void startListInspectAndStopAJobFromTheShell() throws Exception {
        try (FlinkClusterFixture f = new FlinkClusterFixture(dir, "shell_jobs_" + ProcessHandle.current().pid())) {
            f.mysql("CREATE TABLE items (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO items VALUES (1, 'a'), (2, 'b')");
            String out = ShellProcess.piped(dir.resolve("home"), Map.of(FlinkOptions.VARIABLE, f.cluster.restUrl()), String.join("\n",
                    "Flow('Demo-job').read_from('src.items').write_to('dst').start()",
                    "show jobs",
                    "status Demo-job",
                    "logs job Demo-job limit=5 tail=False",
                    "logs job Demo-job limit=5 follow=True",
                    "stop job Demo-job",
                    "") + "\n");
            assertThat(out).contains("saved pipeline 'Demo-job'")
                    .contains("started pipeline 'Demo-job' as job")
                    .containsPattern("NAME\\s+JOB ID\\s+STATUS")
                    .containsPattern("\nDemo-job\\s+[0-9a-f]{32}\\s+")
                    .contains("job 'Demo-job' (")
                    .contains("error: logs: unknown option 'follow=True'; allowed: limit=N, tail=True")
                    // Cancelling is asynchronous on Flink: the stop command's own report is what the shell can check.
                    .contains("cancelled job 'Demo-job'")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void showAndMonitorAJobStartedWithTapflowStartAtTheTerminal() throws Exception {
        try (FlinkClusterFixture f = new FlinkClusterFixture(dir, "shell_monitor_" + ProcessHandle.current().pid())) {
            f.mysql("CREATE TABLE items (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO items VALUES (1, 'a')");
            Path file = FlinkClusterFixture.pipelineFile(dir, "Json-job", "items", 1, "{\"type\": \"exclude_fields\", \"fields\": [\"v\"]}");
            assertThat(f.tapflow("start", file.toString())).as(f.err()).isZero();
            try (TmuxShell shell = new TmuxShell(dir.resolve("home"), Map.of(FlinkOptions.VARIABLE, f.cluster.restUrl()))) {
                shell.screenUntil(s -> s.contains("tap>"));
                // Not saved in a shell: show prints what 'tapflow start' submitted, without the datasources' secrets.
                shell.keys("show Json-job", "Enter");
                String shown = shell.screenUntil(s -> s.contains(".write_to('dst').save()"));
                assertThat(shown).contains("Flow('Json-job')", ".read_from('src.items')", ".exclude(['v'])").doesNotContain("${env:");

                // monitor refreshes until Ctrl-C, which returns to the prompt of a shell that still works.
                shell.keys("monitor job Json-job", "Enter");
                shell.screenUntil(s -> s.contains("job 'Json-job' ("));
                shell.keys("C-c");
                shell.screenAtPrompt(s -> s.contains("cancelled"));
                shell.keys("print('still' + ' here')", "Enter");
                shell.screenUntil(s -> s.contains("still here"));
                shell.keys("exit", "Enter");
                shell.awaitExit();
            } finally {
                f.tapflow("stop", "Json-job");
            }
        }
    }
}
