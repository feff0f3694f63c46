package io.tapflow.cli.command;

import io.tapflow.cli.OptionChecks;
import io.tapflow.cli.catalog.Catalog;
import io.tapflow.cli.catalog.PipelineFiles;
import io.tapflow.cli.catalog.SavedPipelines;
import io.tapflow.cli.run.LocalRun;
import io.tapflow.cli.run.RunLock;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.SourceSpec;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.job.Checkpoints;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalRunOptions;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.udf.script.PipelineScripts;
import io.tapflow.udf.script.ScriptResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tapflow run pipeline.json|.py|.js}: validates the pipeline against the catalog and the real servers, then runs it
 * on an embedded Flink in the foreground until Ctrl-C. A script first runs to the end (its saved datasources go to the
 * catalog) and may start one pipeline. A pipeline that ran before resumes from its last checkpoint.
 */
@Command(name = "run", description = "Run a pipeline on an embedded Flink in the foreground (Ctrl-C stops it).")
public final class RunCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Parameters(index = "0", description = "Pipeline definition: JSON, or a Python (.py) or JavaScript (.js) script.") Path file;
    @Option(names = "--web-port", defaultValue = "8081", description = "Port of the Flink web dashboard; -1 for none (default: ${DEFAULT-VALUE}).")
    int webPort;
    @Option(names = "--fresh", description = "Ignore earlier checkpoints: take a new snapshot.") boolean fresh;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = this.spec.commandLine().getOut();
        OptionChecks.webPort(spec, webPort);
        Optional<JobSpec> started = PipelineScripts.isScript(file) ? fromScript(out) : Optional.of(PipelineFiles.jobSpec(file));
        if (started.isEmpty()) {
            return 0;
        }
        JobSpec spec = started.get();
        Pipeline pipeline = spec.pipeline();
        LocalRun run = LocalRun.of(pipeline.name());
        // Before planning, which creates target tables: a second run must change nothing.
        try (RunLock lock = RunLock.acquire(run)) {
            OptionChecks.webPortFree(this.spec, webPort); // after the lock: a second run of this pipeline hears that first
            JobPlan plan = JobPlanner.plan(spec);
            plan.matchedTables().forEach(out::println);
            plan.createdTargetTables().forEach(t -> out.println("created target table " + t));
            run.recordStarted(spec);
            // A query source is read whole each run: a checkpoint of its finished read would resume to nothing.
            boolean queryRead = pipeline.sources().stream().anyMatch(SourceSpec::hasQuery);
            Optional<Path> resume = fresh || queryRead ? Optional.empty() : Checkpoints.latest(run.checkpointDir());
            LocalRunOptions options = new LocalRunOptions(run.checkpointDir(), webPort, resume.orElse(null), SinkOptions.DEFAULTS);
            RunningPipeline job = LocalPipelineRunner.start(plan, options);
            Thread stopper = new Thread(() -> stop(job, run, out), "tapflow-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            out.println("pipeline '" + pipeline.name() + "' running" + (queryRead ? ", reading its query once"
                            : resume.map(p -> ", resumed from " + p).orElse(", snapshot first"))
                    + (webPort >= 0 ? "; dashboard: http://localhost:" + webPort : "") + "; Ctrl-C stops it");
            out.flush();
            try {
                job.awaitTermination();
            } finally {
                removeHook(stopper);
            }
            if (queryRead && !job.stopRequested()) {
                out.println("pipeline '" + pipeline.name() + "' finished: every row of its query result is written");
            }
        }
        return 0;
    }

    /**
     * Ctrl-C or SIGTERM: a stop, not a failure. The job is cancelled, which keeps its last checkpoint, and the user is
     * told where the next run resumes. The JVM then exits with 130 (SIGINT) or 143 (SIGTERM), as shells expect.
     */
    private static void stop(RunningPipeline job, LocalRun run, PrintWriter out) {
        String slow = "";
        try {
            if (!job.cancel(Duration.ofSeconds(60))) {
                return;
            }
        } catch (TapflowException e) {
            // A busy machine: the job ends with this process anyway, and its completed checkpoints stay valid.
            slow = " (it did not end within 60 s; it ends with this process)";
        }
        String stopped = "pipeline '" + run.pipeline() + "' stopped" + slow;
        out.println(Checkpoints.latest(run.checkpointDir())
                .map(p -> stopped + "; 'tapflow run' resumes it from checkpoint " + p)
                .orElse(stopped + " before its first checkpoint; 'tapflow run' starts it again with a new snapshot"));
        out.flush();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook is stopping the job.
        }
    }

    /**
     * Runs the script (nothing reaches Flink until it has finished and every pipeline validated); saves its datasources.
     * A script that starts no pipeline, as TapFlow's examples that only define datasources or save a flow, saves what it
     * defined and runs nothing.
     */
    private Optional<JobSpec> fromScript(PrintWriter out) {
        PipelineFiles.requireFile(file);
        Catalog catalog = Catalog.open();
        ScriptResult result = PipelineScripts.run(file, catalog.all());
        if (result.started().size() > 1) {
            throw new TapflowException(file.getFileName() + " starts " + result.started().size() + " pipelines ("
                    + result.started().stream().map(s -> s.pipeline().name()).toList() + "); 'tapflow run' runs exactly one: "
                    + "call .start() on one Flow" + (result.savedPipelines().isEmpty() ? "" : "; saved: "
                    + result.savedPipelines().stream().map(s -> s.pipeline().name()).toList()));
        }
        result.notes().forEach(out::println);
        result.savedDataSources().forEach(ds -> {
            catalog.save(ds);
            out.println("saved datasource " + ds.name());
        });
        if (!result.started().isEmpty()) {
            return Optional.of(result.started().get(0));
        }
        result.savedPipelines().forEach(s -> out.println("saved pipeline '" + s.pipeline().name() + "'; run it with: tapflow run "
                + SavedPipelines.save(s.pipeline())));
        result.publishedApis().forEach(api -> out.println("defines data API '" + api.name() + "', which 'run' does not publish; "
                + "publish it with: tapflow api publish " + file));
        out.println(file.getFileName() + " starts no pipeline (no Flow in it calls .start()), so nothing runs");
        return Optional.empty();
    }
}
