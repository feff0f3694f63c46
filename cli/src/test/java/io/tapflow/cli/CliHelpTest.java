package io.tapflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** Every command and subcommand answers {@code -h} and {@code --help} with its usage, never with a parameter error. */
class CliHelpTest {
    @RegisterExtension
    final CliRun cli = new CliRun();

    @Test
    void everyCommandTakesHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(TapflowCli.commandLine(), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThan(15);
        for (List<String> path : paths) {
            for (String flag : List.of("-h", "--help")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                int code = cli.run(args.toArray(String[]::new));
                assertThat(code).as("tapflow %s", String.join(" ", args)).isZero();
                assertThat(cli.out()).as("tapflow %s", String.join(" ", args)).contains("Usage: tapflow");
                assertThat(cli.err()).as("tapflow %s", String.join(" ", args)).isEmpty();
            }
        }
    }

    @Test
    void runAndQuickstartExplainThemselves() {
        assertThat(cli.run("run", "--help")).isZero();
        assertThat(cli.out()).contains("Usage: tapflow run").contains("-h, --help").doesNotContain("Missing required");
        assertThat(cli.run("quickstart", "-h")).isZero();
        assertThat(cli.out()).contains("Usage: tapflow quickstart").doesNotContain("Unknown option");
    }

    private static void collect(CommandLine cmd, List<String> path, List<List<String>> into) {
        for (var entry : cmd.getSubcommands().entrySet()) {
            if (!entry.getKey().equals(entry.getValue().getCommandName())) {
                continue; // an alias of a command already visited
            }
            List<String> sub = new ArrayList<>(path);
            sub.add(entry.getKey());
            into.add(sub);
            collect(entry.getValue(), sub, into);
        }
    }
}
