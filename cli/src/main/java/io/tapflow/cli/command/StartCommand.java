package io.tapflow.cli.command;

import io.tapflow.cli.FlinkOptions;
import io.tapflow.cli.catalog.PipelineFiles;
import io.tapflow.cli.catalog.SavepointHistory;
import io.tapflow.cli.run.LocalCluster;
import io.tapflow.cli.run.ShippedSpec;
import io.tapflow.cli.flink.ClusterJobs;
import io.tapflow.cli.flink.FlinkRestClient;
import io.tapflow.cli.flink.FlinkRequestException;
import io.tapflow.cli.flink.JarRun;
import io.tapflow.cli.flink.JobJar;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TapflowException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tapflow start pipeline.json [--from-savepoint path|latest]}: submits the pipeline to a Flink cluster, detached.
 * The job jar is uploaded once per checksum; the spec travels as a job argument holding no secrets.
 */
@Command(name = "start", description = "Submit a pipeline to a Flink cluster and return (the job keeps running).")
public final class StartCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin FlinkOptions flink;
    @Parameters(index = "0", description = "Pipeline definition: JSON, or a Python (.py) or JavaScript (.js) script.") Path file;
    @Option(names = "--from-savepoint", paramLabel = "path|latest",
            description = "Start from a savepoint: its path, or 'latest' for the last one 'tapflow stop --savepoint' took of this pipeline.")
    String fromSavepoint;
    @Option(names = "--allow-incompatible-savepoint",
            description = "Start from a savepoint even if it does not fit: state without a matching operator is dropped.")
    boolean allowIncompatible;
    @Option(names = {"-y", "--yes"}, description = "Start the local cluster without asking when no cluster is running.")
    boolean yes;

    @Override
    public Integer call() throws IOException {
        JobSpec jobSpec = PipelineFiles.jobSpec(file);
        Pipeline pipeline = jobSpec.pipeline();
        String shipped = ShippedSpec.json(jobSpec);
        PrintWriter out = spec.commandLine().getOut();
        FlinkRestClient client = reachableCluster(out);
        ClusterJobs.active(client, pipeline.name()).ifPresent(j -> {
            throw new TapflowException("pipeline '" + pipeline.name() + "' is already running on " + client.url() + " as job "
                    + j.path("jid").asText() + " (" + j.path("state").asText() + "); stop it first with 'tapflow stop " + pipeline.name() + "'");
        });
        SavepointHistory history = SavepointHistory.of(pipeline.name());
        String savepoint = savepoint(history, jobSpec);
        String jarId = JobJar.locate().ensureUploaded(client);
        String jobId;
        try {
            jobId = client.runJar(jarId, new JarRun(JobJar.ENTRY_CLASS, List.of("--pipeline-json", shipped), savepoint, allowIncompatible));
        } catch (FlinkRequestException e) {
            throw explainSavepointRefusal(e, savepoint, pipeline.name());
        }
        history.recordStarted(jobSpec);
        out.println("started pipeline '" + pipeline.name() + "' as job " + jobId + " on " + client.url()
                + (savepoint == null ? "" : " from savepoint " + savepoint) + "; watch it with 'tapflow monitor " + pipeline.name() + "'");
        return 0;
    }

    private FlinkRestClient reachableCluster(PrintWriter out) {
        FlinkRestClient client = flink.client();
        if (client.isReachable()) {
            return client;
        }
        if (!flink.isDefault() || !(yes || confirm(out, "No Flink cluster answers at " + client.url() + ". Start the local one now? [y/N] "))) {
            client.overview(); // throws the explanation of why the cluster is unreachable
        }
        LocalCluster.State state = LocalCluster.inHome().start(FlinkOptions.DEFAULT_PORT, 1, 4, false);
        out.println("started the local Flink cluster at " + state.restUrl());
        return new FlinkRestClient(state.restUrl());
    }

    private static boolean confirm(PrintWriter out, String question) {
        if (System.console() == null) {
            return false;
        }
        out.print(question);
        out.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in)).readLine();
            return answer != null && answer.trim().toLowerCase().startsWith("y");
        } catch (IOException e) {
            return false;
        }
    }

    private String savepoint(SavepointHistory history, JobSpec jobSpec) {
        if (fromSavepoint == null) {
            return null;
        }
        SavepointHistory.Entry entry = "latest".equals(fromSavepoint)
                ? history.latest().orElseThrow(() -> new TapflowException("no savepoint of pipeline '" + jobSpec.pipeline().name()
                        + "' is known; take one with 'tapflow stop " + jobSpec.pipeline().name() + " --savepoint', or pass its path"))
                : history.find(fromSavepoint).orElse(new SavepointHistory.Entry(fromSavepoint, ""));
        String identity = SavepointHistory.sourceIdentity(jobSpec);
        if (!entry.sourceIdentity().isEmpty() && !entry.sourceIdentity().equals(identity) && !allowIncompatible) {
            throw new TapflowException("savepoint " + entry.location() + " does not fit pipeline '" + jobSpec.pipeline().name()
                    + "': it holds CDC positions of " + entry.sourceIdentity() + ", but the pipeline now reads " + identity
                    + "; a changed source or table list would skip or repeat changes. Start without --from-savepoint for a new "
                    + "snapshot, or pass --allow-incompatible-savepoint to use it anyway");
        }
        return entry.location();
    }

    private static TapflowException explainSavepointRefusal(FlinkRequestException e, String savepoint, String pipeline) {
        if (savepoint != null && e.reason().contains("Cannot map checkpoint/savepoint state")) {
            return new TapflowException("savepoint " + savepoint + " does not fit pipeline '" + pipeline + "': " + e.reason()
                    + ". A step with state was removed or its id changed; restore the step id, or pass "
                    + "--allow-incompatible-savepoint to drop that state", e);
        }
        return e;
    }
}
