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

    @Test
    void anExtraArgumentIsNamedWithWhatTheCommandTakes() {
        assertThat(cli.run("run", "my", "pipeline.json")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("error: unexpected argument 'pipeline.json'; it takes <file> (quote a name that has "
                + "spaces) (see 'tapflow run --help')\n");
        assertThat(cli.run("datasource", "list", "a", "b")).isEqualTo(2);
        assertThat(cli.err()).startsWith("error: unexpected arguments 'a' 'b'; it takes no arguments");
    }

    @Test
    void noCommandNamesTheCommandsThereAre() {
        assertThat(cli.run("datasource")).isEqualTo(2);
        assertThat(cli.err()).startsWith("error: no command given; commands: add, ").contains("list")
                .endsWith("(see 'tapflow datasource --help')\n").hasLineCount(1);
    }

    @Test
    void aMistypedCommandOrOptionIsOneLineWithWhatWasMeant() {
        assertThat(cli.run("rnu", "x.py")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("error: unknown command 'rnu'; did you mean 'run'? (see 'tapflow --help')\n");
        assertThat(cli.run("run", "--web-prot", "1", "x.py")).isEqualTo(2);
        assertThat(cli.err()).startsWith("error: Unknown options: '--web-prot'").contains("did you mean '--web-port'?")
                .endsWith("(see 'tapflow run --help')\n").hasLineCount(1);
        assertThat(cli.run("quickstart", "--rows", "-5")).as("refused before any server starts").isEqualTo(2);
        assertThat(cli.err()).isEqualTo("error: --rows must be at least 1, got -5 (see 'tapflow quickstart --help')\n");
        assertThat(cli.out()).isEmpty();
        assertThat(cli.run("run", "--web-port", "99999", "x.json")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("error: --web-port must be -1 (no dashboard) or a port from 1 to 65535, got 99999 "
                + "(see 'tapflow run --help')\n");
        assertThat(cli.run("datasource", "add", "x", "--type", "mysql", "-o", "host")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("error: -o 'host' has no '=': expected KEY=VALUE, e.g. -o host=localhost "
                + "(see 'tapflow datasource add --help')\n");
        assertThat(cli.run("datasource", "add", "x", "--type", "mysql", "-o", "password:s3cret")).isEqualTo(2);
        assertThat(cli.err()).as("a mistyped password option is not printed").contains("-o 'password...'").doesNotContain("s3cret");
        assertThat(cli.run("datasource", "add", "x", "--typ", "mysql")).as("the typo, not the missing --type").isEqualTo(2);
        assertThat(cli.err()).startsWith("error: Unknown options: '--typ'").contains("did you mean '--type'?")
                .endsWith("(see 'tapflow datasource add --help')\n").hasLineCount(1);
        assertThat(cli.run("verify", "nope", "--mode", "fast")).as("a usage error, not 3 (differences)").isEqualTo(2);
        assertThat(cli.err()).isEqualTo("error: unknown --mode 'fast'; allowed: count, rows, hash (see 'tapflow verify --help')\n");
        assertThat(cli.run("verify", "nope", "--dry-run")).isEqualTo(2);
        assertThat(cli.err()).startsWith("error: --dry-run goes with --repair");
        assertThat(cli.run("api", "serve", "--pool-size", "0")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("error: --pool-size must be at least 1, got 0 (see 'tapflow api serve --help')\n");
        assertThat(cli.run("datasource", "add")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("error: Missing required parameter: '<name>' (see 'tapflow datasource add --help')\n");
        assertThat(cli.out()).isEmpty();
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
