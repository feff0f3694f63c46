package io.tapflow.cli;

import io.tapflow.cli.command.ApiCommand;
import io.tapflow.cli.command.ClusterCommand;
import io.tapflow.cli.command.DataSourceCommand;
import io.tapflow.cli.command.DeleteCommand;
import io.tapflow.cli.command.ExplainCommand;
import io.tapflow.cli.command.JobsCommand;
import io.tapflow.cli.command.LogsCommand;
import io.tapflow.cli.command.MonitorCommand;
import io.tapflow.cli.command.RunCommand;
import io.tapflow.cli.command.StartCommand;
import io.tapflow.cli.command.StatusCommand;
import io.tapflow.cli.command.StopCommand;
import io.tapflow.cli.quickstart.QuickstartCommand;
import io.tapflow.cli.shell.ShellCommand;
import io.tapflow.cli.verify.VerifyCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code tapflow} command. */
@Command(name = "tapflow", mixinStandardHelpOptions = true, version = "tapflow 0.1.0",
        description = "Live CDC pipelines on Apache Flink, defined in code.",
        subcommands = {DataSourceCommand.class, RunCommand.class, QuickstartCommand.class, ClusterCommand.class, StartCommand.class,
                JobsCommand.class, StatusCommand.class, MonitorCommand.class, LogsCommand.class, StopCommand.class,
                DeleteCommand.class, ShellCommand.class, VerifyCommand.class, ExplainCommand.class, ApiCommand.class, CommandLine.HelpCommand.class})
public final class TapflowCli {
    @Option(names = {"-v", "--verbose"}, description = "Show stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
    public boolean verbose;

    public static void main(String[] args) {
        LogSetup.toFileUnderHome();
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call this and capture output with setOut/setErr. */
    public static CommandLine commandLine() {
        TapflowCli root = new TapflowCli();
        CommandLine cmd = new CommandLine(root);
        addHelpOptions(cmd);
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("error: " + ErrorMessages.of(e));
            if (root.verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return ErrorMessages.exitCode(e);
        });
        return cmd;
    }

    /**
     * Every command and subcommand takes {@code -h/--help}: with it picocli prints the usage and skips the checks of
     * required parameters, so {@code tapflow run --help} explains instead of asking for the file.
     */
    private static void addHelpOptions(CommandLine cmd) {
        var spec = cmd.getCommandSpec();
        if (spec.findOption("--help") == null) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
        }
        cmd.getSubcommands().values().stream().distinct().forEach(TapflowCli::addHelpOptions);
    }
}
