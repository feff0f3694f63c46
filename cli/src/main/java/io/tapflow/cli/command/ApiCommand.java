package io.tapflow.cli.command;

import io.tapflow.cli.OptionChecks;
import io.tapflow.cli.TapflowHome;
import io.tapflow.cli.catalog.Catalog;
import io.tapflow.cli.catalog.PipelineFiles;
import io.tapflow.api.ApiCatalog;
import io.tapflow.api.ApiKey;
import io.tapflow.api.ApiKeys;
import io.tapflow.api.ApiPublisher;
import io.tapflow.api.ApiServer;
import io.tapflow.api.Backends;
import io.tapflow.api.PublishedApi;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.TapflowException;
import io.tapflow.dsl.api.Api;
import io.tapflow.udf.script.PipelineScripts;
import io.tapflow.udf.script.ScriptResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tapflow api list|show|publish|unpublish|serve} and {@code tapflow api key create|list|revoke}. */
@Command(name = "api", description = "Publish and serve read-only REST APIs over tables (the Live Data Service).",
        subcommands = {ApiCommand.ListAll.class, ApiCommand.Show.class, ApiCommand.Publish.class, ApiCommand.Unpublish.class,
                ApiCommand.Serve.class, ApiCommand.Key.class})
public final class ApiCommand {

    static ApiCatalog catalog() {
        return new ApiCatalog(TapflowHome.path());
    }

    static ApiKeys keys() {
        return new ApiKeys(TapflowHome.path());
    }

    /** {@code tapflow api list}. */
    @Command(name = "list", aliases = "ls", description = "List the published APIs.")
    static final class ListAll implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<Api> apis = catalog().all();
            if (apis.isEmpty()) {
                out.println("no published APIs; publish one with: tapflow api publish api.py");
                return 0;
            }
            out.printf("%-24s %-32s %s%n", "NAME", "TABLE", "FIELDS");
            apis.forEach(a -> out.printf("%-24s %-32s %s%n", a.name(), a.datasource() + "." + a.table(), String.join(", ", a.fields())));
            return 0;
        }
    }

    /** {@code tapflow api show NAME}. */
    @Command(name = "show", description = "Show a published API's definition (JSON).")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", description = "Name of the API.") String name;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(DefinitionJson.toJson(catalog().get(name)));
            return 0;
        }
    }

    /** {@code tapflow api publish FILE}: a JSON definition, or a script that calls {@code Api(...).publish()}. */
    @Command(name = "publish", description = "Check APIs against their tables and publish them: a .json definition, or a .py/.js"
            + " script calling Api(...).publish(). A published API of the same name is replaced.")
    static final class Publish implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", description = "api.json, api.py or api.js") Path file;

        @Override
        public Integer call() throws IOException {
            PipelineFiles.requireFile(file);
            PrintWriter out = spec.commandLine().getOut();
            Catalog datasources = Catalog.open();
            List<Api> apis;
            if (PipelineScripts.isScript(file)) {
                ScriptResult result = PipelineScripts.run(file, datasources.all());
                result.notes().forEach(out::println);
                result.savedDataSources().forEach(ds -> {
                    datasources.save(ds);
                    out.println("saved datasource '" + ds.name() + "' (" + ds.type() + ")");
                });
                apis = result.publishedApis();
                if (apis.isEmpty()) {
                    throw new TapflowException(file.getFileName() + " publishes no API; end an Api(...) chain with .publish()");
                }
            } else {
                apis = List.of(DefinitionJson.api(Files.readString(file), file.getFileName().toString()));
            }
            // Every API is checked before any is stored: a script publishes all of its APIs or none.
            try (Backends backends = new Backends(10)) {
                ApiPublisher publisher = new ApiPublisher(datasources.all(), backends);
                apis.forEach(publisher::check);
            }
            ApiCatalog catalog = catalog();
            for (Api api : apis) {
                catalog.save(api);
                out.println("published API '" + api.name() + "' (" + api.datasource() + "." + api.table() + ") at /api/" + api.name());
            }
            return 0;
        }
    }

    /** {@code tapflow api unpublish NAME}. */
    @Command(name = "unpublish", description = "Stop publishing an API (a running 'tapflow api serve' serves it until restarted).")
    static final class Unpublish implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", description = "Name of the API.") String name;

        @Override
        public Integer call() {
            catalog().remove(name);
            spec.commandLine().getOut().println("unpublished API '" + name + "'");
            return 0;
        }
    }

    /** {@code tapflow api serve [--port 3080]}: serves every published API until Ctrl-C. */
    @Command(name = "serve", description = "Serve every published API over HTTP until Ctrl-C.")
    static final class Serve implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--port", defaultValue = "3080", description = "HTTP port (default: ${DEFAULT-VALUE}).") int port;
        @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).") String host;
        @Option(names = "--query-timeout", defaultValue = "5", description = "Seconds a query may run (default: ${DEFAULT-VALUE}).") int timeout;
        @Option(names = "--pool-size", defaultValue = "" + Backends.DEFAULT_POOL_SIZE,
                description = "Connections per SQL datasource; further requests wait for one (default: ${DEFAULT-VALUE}).") int poolSize;

        @Override
        public Integer call() {
            OptionChecks.atLeast(spec, "--pool-size", poolSize, 1);
            PrintWriter out = spec.commandLine().getOut();
            List<Api> apis = catalog().all();
            if (apis.isEmpty()) {
                throw new TapflowException("no published APIs to serve; publish one with: tapflow api publish api.py");
            }
            Map<String, DataSource> datasources = Catalog.open().all();
            Backends backends = new Backends(timeout, poolSize);
            try {
                ApiPublisher publisher = new ApiPublisher(datasources, backends);
                List<PublishedApi> published = new ArrayList<>();
                apis.forEach(a -> published.add(publisher.check(a)));
                try (ApiServer server = new ApiServer(published, keys(), ApiServer.CHANGES_POLL_MILLIS, ApiServer.threadsFor(backends)).start(host, port)) {
                    out.println("serving " + apis.size() + " API(s) at http://" + host + ":" + server.port() + "/api/<name>; docs at /docs,"
                            + " OpenAPI at /openapi.json, metrics at /metrics; Ctrl-C stops");
                    if (keys().all().stream().noneMatch(k -> !k.revoked())) {
                        out.println("note: there is no API key yet; every request gets 401 until you run: tapflow api key create --scope '*'");
                    }
                    out.flush();
                    awaitShutdown();
                    out.println("stopped serving");
                }
            } finally {
                backends.close();
            }
            return 0;
        }

        /** Until Ctrl-C: the JVM's shutdown (tapflow) or an interrupt (the shell's Ctrl-C). */
        private static void awaitShutdown() {
            CountDownLatch stop = new CountDownLatch(1);
            Thread hook = new Thread(stop::countDown, "tapflow-api-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the shell's Ctrl-C: stop serving, keep the shell
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down already
                }
            }
        }
    }

    /** {@code tapflow api key create|list|revoke}. */
    @Command(name = "key", description = "Manage API keys (stored hashed; shown once when created).",
            subcommands = {Key.Create.class, Key.ListAll.class, Key.Revoke.class})
    static final class Key {

        /** {@code tapflow api key create --scope NAME [--rate N] [--burst N]}. */
        @Command(name = "create", description = "Create a key; it is printed once and only its hash is kept.")
        static final class Create implements Callable<Integer> {
            @Spec CommandSpec spec;
            @Option(names = "--scope", required = true, description = "An API the key may read; repeat for more; * for all.") List<String> scopes;
            @Option(names = "--rate", defaultValue = "50", description = "Requests per second (default: ${DEFAULT-VALUE}).") double rate;
            @Option(names = "--burst", defaultValue = "100", description = "Requests at once before the rate applies (default: ${DEFAULT-VALUE}).") int burst;

            @Override
            public Integer call() {
                ApiKeys.Created created = keys().create(scopes, rate, burst);
                PrintWriter out = spec.commandLine().getOut();
                out.println(created.secret());
                spec.commandLine().getErr().println("created key " + created.key().id() + " for " + String.join(", ", scopes)
                        + "; it is shown only now: send it as 'Authorization: Bearer <key>'");
                return 0;
            }
        }

        /** {@code tapflow api key list}. */
        @Command(name = "list", aliases = "ls", description = "List keys (ids, scopes, limits; never the secrets).")
        static final class ListAll implements Callable<Integer> {
            @Spec CommandSpec spec;

            @Override
            public Integer call() {
                PrintWriter out = spec.commandLine().getOut();
                List<ApiKey> all = keys().all();
                if (all.isEmpty()) {
                    out.println("no API keys; create one with: tapflow api key create --scope '*'");
                    return 0;
                }
                out.printf("%-14s %-8s %-10s %-6s %-21s %s%n", "ID", "STATUS", "RATE/S", "BURST", "CREATED", "SCOPES");
                all.forEach(k -> out.printf("%-14s %-8s %-10s %-6d %-21s %s%n", k.id(), k.revoked() ? "revoked" : "active",
                        k.ratePerSecond(), k.burst(), k.created(), String.join(", ", k.scopes())));
                return 0;
            }
        }

        /** {@code tapflow api key revoke ID}. */
        @Command(name = "revoke", description = "Revoke a key; running servers refuse it from the next request.")
        static final class Revoke implements Callable<Integer> {
            @Spec CommandSpec spec;
            @Parameters(index = "0", description = "The key's id (from 'tapflow api key list').") String id;

            @Override
            public Integer call() {
                keys().revoke(id);
                spec.commandLine().getOut().println("revoked key " + id);
                return 0;
            }
        }
    }
}
