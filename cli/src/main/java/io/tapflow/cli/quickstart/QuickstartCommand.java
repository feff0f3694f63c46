package io.tapflow.cli.quickstart;

import io.tapflow.cli.OptionChecks;
import io.tapflow.cli.TapflowHome;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.LocalRunOptions;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.servers.Directories;
import io.tapflow.servers.ElasticsearchServer;
import io.tapflow.servers.KafkaServer;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.MongoTestServer;
import io.tapflow.servers.PostgresServer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tapflow quickstart}: a real MariaDB with a demo customer table and the targets of {@code --targets} (a real
 * PostgreSQL and the MongoDB emulator by default; a real Elasticsearch and Kafka on request), the pipeline "read
 * customer, add field updated = processing time, write to the target" per target on an embedded Flink, and live
 * changes printed as they arrive in each with their end-to-end latency. Ctrl-C stops and removes everything.
 */
@Command(name = "quickstart", description = "Run the demo: MariaDB → PostgreSQL and MongoDB (emulator) by default, or the"
        + " targets of --targets, with live changes.")
public final class QuickstartCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Option(names = "--rows", defaultValue = "1000", description = "Rows in the demo table (default: ${DEFAULT-VALUE}).") int rows;
    @Option(names = "--changes", defaultValue = "0", description = "Stop after this many live changes; 0 runs until Ctrl-C.") int changes;
    @Option(names = "--interval-ms", defaultValue = "1000", description = "Pause between live changes (default: ${DEFAULT-VALUE}).") long intervalMs;
    @Option(names = "--targets", defaultValue = "postgres,mongodb", split = ",",
            description = "Targets to start and replicate into, comma separated: postgres, mongodb, elasticsearch (es), kafka"
                    + " (default: ${DEFAULT-VALUE}).") List<String> targets;
    @Option(names = "--web-port", defaultValue = "8081", description = "Flink web dashboard port; -1 for none (default: ${DEFAULT-VALUE}).") int webPort;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final AtomicBoolean stopping = new AtomicBoolean();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        OptionChecks.atLeast(spec, "--rows", rows, 1);
        OptionChecks.atLeast(spec, "--changes", changes, 0);
        OptionChecks.atLeast(spec, "--interval-ms", intervalMs, 0);
        OptionChecks.webPort(spec, webPort);
        List<String> kinds;
        try {
            kinds = QuickstartTargets.parse(targets);
        } catch (TapflowException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage()); // a usage error: exit 2, as a mistyped option
        }
        OptionChecks.webPortFree(spec, webPort);
        Path work = TapflowHome.path().resolve("quickstart-" + ProcessHandle.current().pid());
        Thread hook = new Thread(() -> {
            stopping.set(true);
            cleanUp(work, out);
        }, "tapflow-quickstart-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            out.println("starting " + QuickstartTargets.serversToStart(kinds) + " ...");
            out.flush();
            MariaDbServer mariaDb = track(MariaDbServer.start(work.resolve("mariadb"), true));
            List<DemoTarget> demoTargets = new ArrayList<>();
            for (String kind : kinds) {
                demoTargets.add(track(startTarget(kind, work)));
            }
            DemoDatabase demo = new DemoDatabase(mariaDb, demoTargets);
            demo.createCustomers(rows);

            DataSource mysql = demo.mysqlDataSource();
            out.println("source: MariaDB " + mariaDb.host() + ":" + mariaDb.port() + " demo.customer (" + rows + " rows)");
            long started = System.nanoTime();
            boolean dashboard = webPort >= 0;
            for (DemoTarget target : demoTargets) {
                DataSource ds = target.dataSource();
                Pipeline pipeline = demoPipeline("quickstart-" + ds.type(), mysql, ds);
                track(LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, mysql, ds)),
                        runOptions(work, ds.type(), dashboard ? webPort : -1)));
                dashboard = false; // one dashboard, on the first pipeline's cluster
                out.println("target: " + QuickstartTargets.where(target));
            }
            if (webPort >= 0) {
                out.println("Flink dashboard: http://localhost:" + webPort);
            }
            out.flush();
            demo.awaitSnapshot(rows, Duration.ofMinutes(3));
            out.printf("snapshot: %d rows in %s %d ms after the pipelines started%n", rows,
                    QuickstartTargets.names(demoTargets), (System.nanoTime() - started) / 1_000_000);
            out.println("live changes (" + (changes == 0 ? "Ctrl-C to stop" : changes + " of them") + "):");
            out.flush();
            for (int i = 1; (changes == 0 || i <= changes) && !stopping.get(); i++) {
                DemoDatabase.Arrival arrival = demo.applyRandomChangeAndWait(i, Duration.ofSeconds(30));
                out.println(arrival.describe(i));
                out.flush();
                Thread.sleep(intervalMs);
            }
            return 0;
        } catch (Exception e) {
            if (stopping.get()) {
                return 130; // Ctrl-C: the servers went away under the running step, which is no error
            }
            throw e;
        } finally {
            cleanUp(work, out);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and has cleaned up
            }
        }
    }

    /** Stops everything and removes the quickstart's files, once: from the command's end or from the Ctrl-C hook. */
    private synchronized void cleanUp(Path work, PrintWriter out) {
        stop();
        if (Files.exists(work)) {
            Directories.deleteRecursively(work);
            out.println("stopped; removed " + work);
            out.flush();
        }
    }

    /** Starts the server of one target kind (a child JVM for Elasticsearch and Kafka) and returns its demo target. */
    private DemoTarget startTarget(String kind, Path work) throws Exception {
        return switch (kind) {
            case "postgres" -> new PostgresDemoTarget(track(PostgresServer.start(work.resolve("postgres"))));
            case "mongodb" -> new MongoDemoTarget(track(MongoTestServer.startEmulator()));
            case "elasticsearch" -> new ElasticsearchDemoTarget(track(ElasticsearchServer.start(work.resolve("elasticsearch"))));
            case "kafka" -> new KafkaDemoTarget(track(KafkaServer.start(work.resolve("kafka"))));
            default -> throw new IllegalStateException("unchecked target " + kind);
        };
    }

    private static Pipeline demoPipeline(String name, DataSource mysql, DataSource target) {
        return Pipeline.named(name).readFrom(mysql.table("customer")).addField("updated", FieldValue.now())
                .writeTo(target.table("customer")).checkpointInterval(Duration.ofSeconds(5));
    }

    private static LocalRunOptions runOptions(Path work, String name, int port) {
        return new LocalRunOptions(work.resolve("checkpoints").resolve(name), port, null, SinkOptions.DEFAULTS);
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }

    /** Stops jobs first, then servers (newest first); safe to call twice, from the shutdown hook or the command. */
    private synchronized void stop() {
        stopping.set(true);
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                if (r instanceof RunningPipeline job) {
                    job.cancel(Duration.ofSeconds(30));
                } else {
                    r.close();
                }
            } catch (Exception e) {
                System.err.println("while stopping: " + e.getMessage());
            }
        }
    }
}
