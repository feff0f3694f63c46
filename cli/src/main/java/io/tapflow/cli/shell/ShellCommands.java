package io.tapflow.cli.shell;

import io.tapflow.cli.ErrorMessages;
import io.tapflow.cli.TapflowCli;
import io.tapflow.cli.TapflowHome;
import io.tapflow.cli.TextTable;
import io.tapflow.cli.browse.TableBrowser;
import io.tapflow.cli.catalog.Catalog;
import io.tapflow.cli.catalog.PipelineDsl;
import io.tapflow.cli.catalog.SavedPipelines;
import io.tapflow.cli.catalog.SavepointHistory;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TapflowException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * What one line typed at the {@code tap>} prompt does. Job and catalog commands run the same picocli commands as
 * {@code tapflow ...} does; table commands look into the datasource chosen with {@code use}. Errors print one line
 * (with the stack trace when verbose) and never end the shell.
 */
public final class ShellCommands implements AutoCloseable {
    /** The first words the shell knows, for completion and help. */
    static final List<String> NAMES = List.of("show", "use", "desc", "peek", "count", "status", "stats", "monitor", "logs", "start",
            "stop", "delete", "validate", "verify", "explain", "api", "help", "h", "exit", "quit");
    /** The word TapFlow's shell guide puts between a job command and its name: {@code status job X}, {@code stop flow X}. */
    private static final List<String> JOB_WORDS = List.of("job", "flow", "pipeline");
    static final int DEFAULT_PEEK_ROWS = 5;

    private final PrintWriter out;
    private final boolean verbose;
    private final ShellHelp help;
    private final ShellScript script;
    private volatile DataSource current; // each command runs on a thread of its own

    public ShellCommands(PrintWriter out, boolean verbose) {
        this.out = out;
        this.verbose = verbose;
        this.help = new ShellHelp(out);
        this.script = new ShellScript(out, this::tapflow);
    }

    /** Runs one line (or a finished multi-line block); returns false when the line asks to leave the shell. */
    public boolean execute(String line) {
        try {
            return run(line);
        } catch (Exception e) {
            report(e);
            return true;
        } finally {
            out.flush();
        }
    }

    private boolean run(String line) throws Exception {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return true;
        }
        if (ShellScript.isDsl(line)) {
            script.eval(line);
            return true;
        }
        List<String> w = Arrays.asList(trimmed.split("\\s+"));
        String rest = w.size() > 1 ? w.get(1) : null;
        switch (w.get(0)) {
            case "exit", "quit" -> {
                return false;
            }
            case "help", "h" -> help.print(rest);
            case "show" -> show(w);
            case "use" -> use(argument(w, 1, "use <datasource>"));
            case "desc" -> desc(argument(w, 1, "desc <table>"));
            case "peek" -> peek(w);
            case "count" -> count(argument(w, 1, "count <table>"));
            case "status", "stats" -> tapflow("status", job(w, "status [job] <name>"));
            case "monitor" -> tapflow("monitor", job(w, "monitor job <name>"));
            case "logs" -> logs(w);
            case "stop" -> tapflow("stop", job(w, "stop job <name>"));
            case "delete" -> tapflow("delete", job(w, "delete job <name>"));
            case "start" -> script.start(job(w, "start job <name>"));
            case "api" -> tapflow(w.toArray(String[]::new)); // the same words as 'tapflow api ...'; serve runs until Ctrl-C
            case "validate" -> tapflow("datasource", "test", argument(w, w.size() > 2 && w.get(1).equals("datasource") ? 2 : 1,
                    "validate [datasource] <name>"));
            case "verify" -> tapflow(verifyArguments(w));
            case "explain" -> tapflow(explainArguments(w));
            // TapFlow's shell has it; here a pipeline starts over with a new snapshot by 'tapflow run --fresh'.
            case "reset" -> throw new TapflowException("reset is not a tapflow command: start a pipeline over, with a new "
                    + "snapshot, with 'tapflow run --fresh <pipeline>'");
            default -> throw CliOnlyCommands.unknown(w.get(0), NAMES);
        }
        return true;
    }

    private void show(List<String> w) {
        String what = argument(w, 1, "show dbs | show tables [pattern] | show jobs | show <job>");
        switch (what) {
            case "dbs", "datasources" -> tapflow("datasource", "list");
            case "jobs", "flows" -> tapflow("jobs");
            case "tables" -> showTables(w.size() > 2 ? w.get(2) : null);
            default -> out.print(PipelineDsl.python(definition(what)));
        }
    }

    /**
     * A pipeline saved in a shell, else the one {@code tapflow start} last submitted under that name from this
     * TAPFLOW_HOME. Only the pipeline is printed: the datasources, and any secret of theirs, stay in the catalog.
     */
    private static Pipeline definition(String name) {
        List<String> saved = SavedPipelines.names();
        if (saved.contains(name)) {
            return SavedPipelines.get(name);
        }
        return SavepointHistory.of(name).lastStarted().map(JobSpec::pipeline).orElseThrow(() -> new TapflowException(
                "job '" + name + "' was not started from this TAPFLOW_HOME (" + TapflowHome.path() + "); its definition is "
                        + "not known here. Saved pipelines: " + (saved.isEmpty() ? "none" : String.join(", ", saved))));
    }

    private void use(String name) {
        current = Catalog.open().get(name);
        out.println("using datasource '" + name + "' (" + current.type() + ")");
    }

    /** Tables of the current datasource. */
    List<String> tables() {
        return browser().tables();
    }

    /** A pattern with * or ? is a glob, otherwise a part of the name. */
    private void showTables(String pattern) {
        List<String> tables = new ArrayList<>(tables());
        if (pattern != null) {
            Pattern p = pattern.contains("*") || pattern.contains("?")
                    ? Pattern.compile(Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q"))
                    : Pattern.compile(".*" + Pattern.quote(pattern) + ".*");
            tables.removeIf(t -> !p.matcher(t).matches());
        }
        tables.forEach(out::println);
        out.println(tables.size() + " table(s) in '" + current.name() + "'");
    }

    private void desc(String table) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (TableBrowser.Column c : browser().columns(table)) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("COLUMN", c.name());
            row.put("TYPE", c.type());
            row.put("KEY", c.key() ? "PK" : "");
            rows.add(row);
        }
        TextTable.print(out, rows);
    }

    private void peek(List<String> w) {
        String table = argument(w, 1, "peek <table> [-n N]");
        int n = DEFAULT_PEEK_ROWS;
        if (w.size() > 2) {
            if (w.size() != 4 || !w.get(2).equals("-n") || !w.get(3).matches("\\d{1,6}")) {
                throw new TapflowException("peek takes: peek <table> [-n N] with N a whole number, e.g. peek customer -n 10");
            }
            n = Integer.parseInt(w.get(3));
        }
        List<Map<String, String>> rows = browser().peek(table, n);
        TextTable.print(out, rows);
        out.println(rows.size() + " row(s)");
    }

    private void count(String table) {
        out.println(browser().count(table));
    }

    /** {@code logs job NAME [limit=N] [tail=True]}: tail=True keeps printing new lines until Ctrl-C. */
    private void logs(List<String> w) {
        List<String> args = new ArrayList<>(List.of("logs", job(w, "logs job <name> [limit=N] [tail=True]")));
        for (String option : w.subList(Math.min(w.size(), w.size() > 1 && JOB_WORDS.contains(w.get(1)) ? 3 : 2), w.size())) {
            if (option.matches("limit=\\d+")) {
                args.addAll(List.of("--limit", option.substring("limit=".length())));
            } else if (option.equalsIgnoreCase("tail=true")) {
                args.add("--follow");
            } else if (!option.equalsIgnoreCase("tail=false")) {
                throw new TapflowException("logs: unknown option '" + option + "'; allowed: limit=N, tail=True");
            }
        }
        tapflow(args.toArray(String[]::new));
    }

    private TableBrowser browser() {
        if (current == null) {
            throw new TapflowException("no datasource in use; pick one with: use <datasource> (see: show dbs)");
        }
        return TableBrowser.of(current);
    }

    /** {@code verify <pipeline> [options]}: the options of {@code tapflow verify}. */
    private static String[] verifyArguments(List<String> w) {
        argument(w, 1, "verify <pipeline> [--mode count|rows|hash] [--repair [--dry-run]] [--json]");
        return w.toArray(String[]::new);
    }

    /** {@code explain <pipeline> [--json]}: the arguments of {@code tapflow explain}. */
    private static String[] explainArguments(List<String> w) {
        argument(w, 1, "explain <pipeline> [--json]");
        return w.toArray(String[]::new);
    }

    /** The job name of {@code verb job NAME}; the word "job" (or TapFlow's "flow", "pipeline") may be left out. */
    private static String job(List<String> w, String usage) {
        int at = w.size() > 1 && JOB_WORDS.contains(w.get(1)) ? 2 : 1;
        return argument(w, at, usage);
    }

    private static String argument(List<String> w, int index, String usage) {
        if (w.size() <= index) {
            throw new TapflowException("missing argument; usage: " + usage);
        }
        return w.get(index);
    }

    /** Ends the session's Python context, if a statement made one. */
    @Override
    public void close() {
        script.close();
    }

    /** Runs a {@code tapflow} subcommand as if typed on the command line, printing here. */
    void tapflow(String... args) {
        CommandLine cmd = TapflowCli.commandLine();
        cmd.setOut(out);
        cmd.setErr(out);
        cmd.setExecutionExceptionHandler((e, c, p) -> {
            report(e);
            return ErrorMessages.exitCode(e);
        });
        cmd.setParameterExceptionHandler((e, a) -> {
            out.println("error: " + e.getMessage());
            return ErrorMessages.USER_ERROR;
        });
        cmd.execute(args);
    }

    /** One line per error; nothing for a command stopped with Ctrl-C, which the shell reports itself. */
    private void report(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException) {
                return;
            }
        }
        out.println("error: " + ErrorMessages.of(e));
        if (verbose) {
            e.printStackTrace(out);
        }
    }
}
