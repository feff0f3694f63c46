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
import io.tapflow.dsl.ClosestName;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;
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
        cmd.setParameterExceptionHandler(TapflowCli::badArguments);
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
     * A mistyped command, option or missing argument: one line saying what is wrong, the likely meant name, and where the
     * usage is, instead of picocli's whole usage text; exit code 2 as before.
     */
    private static int badArguments(CommandLine.ParameterException e, String[] args) {
        CommandLine c = e.getCommandLine();
        List<String> typed = c.getParseResult() == null ? List.of() : c.getParseResult().unmatched();
        if (e instanceof CommandLine.MissingParameterException && !typed.isEmpty()) {
            // picocli checks required options before unknown ones: '--typ mysql' would say '--type' is missing
            return badArguments(new CommandLine.UnmatchedArgumentException(c, typed), args);
        }
        String what = e.getMessage();
        if (what.startsWith("Missing required subcommand")) {
            // 'tapflow' or 'tapflow datasource' alone: name the commands there are rather than picocli's words
            what = "no command given; commands: " + String.join(", ", new java.util.TreeSet<>(c.getSubcommands().keySet()));
        }
        String hint = "";
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> unmatched = u.getUnmatched();
            List<String> suggestions = u.getSuggestions();
            if (!c.getSubcommands().isEmpty() && !unmatched.isEmpty() && !unmatched.get(0).startsWith("-")) {
                what = "unknown command '" + unmatched.get(0) + "'";
                suggestions = ClosestName.of(unmatched.get(0), c.getSubcommands().keySet()).stream().toList();
            } else if (!unmatched.isEmpty() && !unmatched.get(0).startsWith("-")) {
                // picocli's "Unmatched argument at index 2" counts words the user never numbered; an unquoted file
                // name with a space is the usual cause
                what = "unexpected argument" + (unmatched.size() > 1 ? "s " : " ")
                        + unmatched.stream().map(x -> "'" + x + "'").collect(Collectors.joining(" ")) + "; it takes "
                        + positionals(c) + " (quote a name that has spaces)";
            }
            if (!suggestions.isEmpty()) {
                hint = "; did you mean " + suggestions.stream().limit(3).map(x -> "'" + x + "'").collect(Collectors.joining(" or ")) + "?";
            }
        }
        PrintWriter err = c.getErr();
        err.println("error: " + what + hint + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return c.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** {@code <file>}, or {@code no arguments}: what a command takes besides its options. */
    private static String positionals(CommandLine c) {
        List<String> labels = c.getCommandSpec().positionalParameters().stream().map(p -> p.paramLabel()).toList();
        return labels.isEmpty() ? "no arguments" : String.join(" ", labels);
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
