package io.tapflow.cli;

import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.Checkpoints;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalRunOptions;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.SinkOptions;
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
 * {@code tapflow run pipeline.json}: validates the pipeline against the catalog and the real servers, then runs it on an
 * embedded Flink in the foreground until Ctrl-C. A pipeline that ran before resumes from its last checkpoint.
 */
@Command(name = "run", description = "Run a pipeline on an embedded Flink in the foreground (Ctrl-C stops it).")
final class RunCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Parameters(index = "0", description = "Pipeline definition (JSON).") Path file;
    @Option(names = "--web-port", defaultValue = "8081", description = "Port of the Flink web dashboard; -1 for none (default: ${DEFAULT-VALUE}).")
    int webPort;
    @Option(names = "--fresh", description = "Ignore earlier checkpoints: take a new snapshot.") boolean fresh;

    @Override
    public Integer call() throws IOException {
        JobSpec spec = PipelineFiles.jobSpec(file);
        Pipeline pipeline = spec.pipeline();
        PrintWriter out = this.spec.commandLine().getOut();
        JobPlan plan = JobPlanner.plan(spec);
        plan.createdTargetTables().forEach(t -> out.println("created target table " + t));
        Path checkpointDir = TapflowHome.path().resolve("checkpoints").resolve(pipeline.name());
        Optional<Path> resume = fresh ? Optional.empty() : Checkpoints.latest(checkpointDir);
        LocalRunOptions options = new LocalRunOptions(checkpointDir, webPort, resume.orElse(null), SinkOptions.DEFAULTS);
        RunningPipeline job = LocalPipelineRunner.start(plan, options);
        Thread stopper = new Thread(() -> job.cancel(Duration.ofSeconds(30)), "tapflow-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        out.println("pipeline '" + pipeline.name() + "' running" + resume.map(p -> ", resumed from " + p).orElse(", snapshot first")
                + (webPort >= 0 ? "; dashboard: http://localhost:" + webPort : "") + "; Ctrl-C stops it");
        out.flush();
        job.awaitTermination();
        return 0;
    }
}
