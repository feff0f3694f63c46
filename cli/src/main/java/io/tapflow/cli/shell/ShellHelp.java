package io.tapflow.cli.shell;

import io.tapflow.dsl.ConnectorType;
import io.tapflow.dsl.ConnectorTypes;
import io.tapflow.dsl.OptionDef;
import io.tapflow.dsl.TapflowException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code help}, {@code help <command>} and {@code help <connector>} (the options a datasource type takes). */
final class ShellHelp {
    private static final Map<String, String> USAGE = usage();
    private final PrintWriter out;

    ShellHelp(PrintWriter out) {
        this.out = out;
    }

    void print(String topic) {
        if (topic == null) {
            out.println("commands (help <command> or help <connector> for more):");
            USAGE.forEach((name, usage) -> out.printf("  %s%n", usage));
            out.println("  Python DSL: DataSource(...).save(), Flow(...).read_from(...).write_to(...).save()|start(), def f(record): ...");
            out.println("  job commands also take TapFlow's spelling: status job X, stop flow X, logs pipeline X");
            out.println("connectors: " + String.join(", ", ConnectorTypes.names()));
            return;
        }
        String command = topic.equals("h") ? "help" : topic.equals("stats") ? "status" : topic;
        if (USAGE.containsKey(command)) {
            out.println(USAGE.get(command));
            return;
        }
        Optional<String> elsewhere = CliOnlyCommands.help(topic);
        if (elsewhere.isPresent()) {
            out.println(elsewhere.get());
            return;
        }
        ConnectorType type = ConnectorTypes.find(topic).orElseThrow(() -> new TapflowException("help " + topic
                + ": no such command or connector; commands: " + String.join(", ", USAGE.keySet())
                + "; connectors: " + String.join(", ", ConnectorTypes.names())));
        out.println(type.identifier() + ": " + type.description());
        out.println("required options:");
        type.options().stream().filter(OptionDef::required).forEach(this::option);
        out.println("optional options:");
        type.options().stream().filter(o -> !o.required()).forEach(this::option);
    }

    private void option(OptionDef o) {
        out.printf("  %-20s %s%s%s%n", o.key(), o.description(), o.defaultValue() == null ? "" : " (default: " + o.defaultValue() + ")",
                o.secret() ? " [secret]" : "");
    }

    private static Map<String, String> usage() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("show", "show dbs | show tables [pattern] | show jobs     list datasources (show datasources), tables, jobs (show flows)");
        m.put("show <job>", "show <job>                                        a pipeline saved here or started with tapflow start, as Python DSL");
        m.put("use", "use <datasource>                                  make a datasource current for the table commands");
        m.put("desc", "desc <table>                                      columns and their types");
        m.put("peek", "peek <table> [-n N]                               the first N rows (default 5)");
        m.put("count", "count <table>                                     number of rows");
        m.put("status", "status [job] <name>                               one job in detail (also: stats)");
        m.put("monitor", "monitor [job] <name>                              watch a job live until Ctrl-C");
        m.put("logs", "logs job <name> [limit=N] [tail=True]             a job's log; tail=True follows it until Ctrl-C");
        m.put("start", "start job <name>                                  submit a pipeline saved with Flow(...).save()");
        m.put("stop", "stop job <name>                                   stop a job");
        m.put("delete", "delete job <name>                                 delete a stopped pipeline");
        m.put("validate", "validate [datasource] <name>                      connect and list its tables");
        m.put("verify", "verify <pipeline> [--mode count] [--repair]        compare a pipeline's target with what it should hold");
        m.put("explain", "explain <pipeline> [--json]                       what a pipeline will do: tables, columns, target DDL");
        m.put("api", "api list|show|publish|unpublish|serve|key ...       data APIs, as 'tapflow api' (Api(...).publish() in Python too)");
        m.put("help", "help | h [command|connector]                      this help; a connector's options");
        m.put("exit", "exit | quit | Ctrl-D                              leave the shell");
        return m;
    }
}
