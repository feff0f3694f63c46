package io.tapflow.cli.command;

import io.tapflow.cli.catalog.Catalog;
import io.tapflow.dsl.ConnectorTypes;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DataSourceValidator;
import io.tapflow.dsl.MongoUriDatabase;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.connector.ConnectorFactories;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tapflow datasource add|list|show|test|remove}. */
@Command(name = "datasource", aliases = "ds", description = "Manage the datasources of the local catalog.",
        subcommands = {DataSourceCommand.Add.class, DataSourceCommand.ListAll.class, DataSourceCommand.Show.class,
                DataSourceCommand.Test.class, DataSourceCommand.Remove.class})
public final class DataSourceCommand {

    /** {@code tapflow datasource add NAME --type T -o key=value ...}. */
    @Command(name = "add", description = "Add (or with --replace, change) a datasource. Options are checked before anything is saved.")
    static final class Add implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", description = "Name of the datasource.") String name;
        @Option(names = {"-t", "--type"}, required = true, description = "Type: ${COMPLETION-CANDIDATES}.",
                completionCandidates = TypeNames.class) String type;
        @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE", description = "An option as key=value, e.g. -o host=localhost. "
                + "Values may be ${env:NAME} references.") List<String> options = List.of();
        @Option(names = "--password", arity = "0..1", fallbackValue = PasswordInput.ASK,
                description = "Password; without a value it is asked for without echo, or read as one line of "
                        + "standard input when that is not a terminal.") String password;
        @Option(names = "--replace", description = "Replace an existing datasource of the same name.") boolean replace;

        @Override
        public Integer call() {
            DataSource ds = new DataSource(type, name, MongoUriDatabase.fill(type, keyValues()));
            DataSourceValidator.validate(ds);
            Catalog catalog = Catalog.open();
            if (catalog.exists(name) && !replace) {
                throw new TapflowException("datasource '" + name + "' exists already; use --replace to change it");
            }
            if (password != null) { // asked for only once the rest is known to be fine
                ds = ds.password(PasswordInput.resolve(spec.commandLine(), password, name));
            }
            catalog.save(ds);
            spec.commandLine().getOut().println("saved datasource '" + name + "' (" + ds.type() + ")");
            return 0;
        }

        /**
         * The {@code -o key=value} options; one without '=' is a usage error naming it (picocli's own message showed its
         * Java types), shown only as far as it looks like a name, as it may be a mistyped {@code password:...}.
         */
        private Map<String, String> keyValues() {
            Map<String, String> byKey = new LinkedHashMap<>();
            for (String keyValue : options) {
                int eq = keyValue.indexOf('=');
                if (eq < 1) {
                    String shown = keyValue.replaceAll("^([A-Za-z0-9._-]*)[^A-Za-z0-9._-].*$", "$1...");
                    throw new ParameterException(spec.commandLine(), "-o '" + shown + "' has no '=': expected KEY=VALUE, e.g. -o host=localhost");
                }
                byKey.put(keyValue.substring(0, eq), keyValue.substring(eq + 1));
            }
            return byKey;
        }
    }

    /** {@code tapflow datasource list}. */
    @Command(name = "list", aliases = "ls", description = "List the datasources.")
    static final class ListAll implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            Map<String, DataSource> all = Catalog.open().all();
            var out = spec.commandLine().getOut();
            if (all.isEmpty()) {
                out.println("no datasources; add one with: tapflow datasource add NAME --type mysql -o host=... ");
                return 0;
            }
            out.printf("%-24s %-10s %s%n", "NAME", "TYPE", "WHERE");
            all.values().forEach(ds -> out.printf("%-24s %-10s %s%n", ds.name(), ds.type(), where(ds)));
            return 0;
        }

        private static String where(DataSource ds) {
            Map<String, String> o = ds.maskedOptions();
            if (o.containsKey("hosts") || o.containsKey("bootstrap-servers")) {
                return o.containsKey("hosts") ? o.get("hosts") : o.get("bootstrap-servers");
            }
            return o.containsKey("uri") ? o.get("uri") + " / " + o.get("database")
                    : o.getOrDefault("host", "?") + ":" + ds.get("port") + " / " + o.getOrDefault("database", "?");
        }
    }

    /** {@code tapflow datasource show NAME}. */
    @Command(name = "show", description = "Show a datasource's options (secrets masked).")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0") String name;

        @Override
        public Integer call() {
            DataSource ds = Catalog.open().get(name);
            var out = spec.commandLine().getOut();
            out.println("name: " + ds.name());
            out.println("type: " + ds.type());
            ds.maskedOptions().forEach((k, v) -> out.println("  " + k + ": " + v));
            return 0;
        }
    }

    /** {@code tapflow datasource test NAME}: connect and list tables. */
    @Command(name = "test", description = "Connect to a datasource and list its tables, or say why that fails.")
    static final class Test implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0") String name;

        @Override
        public Integer call() {
            DataSource ds = Catalog.open().get(name);
            DataSourceValidator.validate(ds);
            List<String> tables = ConnectorFactories.get(ds.type()).listTables(ds.resolved());
            spec.commandLine().getOut().println("ok: connected to '" + name + "'; " + tables.size() + " table(s)"
                    + (tables.isEmpty() ? "" : ": " + String.join(", ", tables)));
            return 0;
        }
    }

    /** {@code tapflow datasource remove NAME}. */
    @Command(name = "remove", aliases = "rm", description = "Remove a datasource from the catalog.")
    static final class Remove implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0") String name;

        @Override
        public Integer call() {
            Catalog.open().remove(name);
            spec.commandLine().getOut().println("removed datasource '" + name + "'");
            return 0;
        }
    }

    /** Completion candidates for --type. */
    static final class TypeNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return ConnectorTypes.names().iterator();
        }
    }
}
