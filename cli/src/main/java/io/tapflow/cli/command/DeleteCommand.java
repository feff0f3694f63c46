package io.tapflow.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.cli.FlinkOptions;
import io.tapflow.cli.catalog.Catalog;
import io.tapflow.cli.catalog.SavepointHistory;
import io.tapflow.cli.run.LocalRun;
import io.tapflow.cli.run.RunLock;
import io.tapflow.cli.run.SourceResources;
import io.tapflow.cli.flink.ClusterJobs;
import io.tapflow.cli.flink.FlinkRestClient;
import io.tapflow.cli.flink.FlinkUnreachableException;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.source.postgres.PostgresReplicationNames;
import java.io.Console;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tapflow delete <pipeline>}: releases what the pipeline's sources keep on their servers ({@link SourceResources}:
 * a PostgreSQL replication slot, which would otherwise hold WAL forever, and its publication) and forgets the pipeline.
 * A pipeline run with {@code tapflow run} also loses its local checkpoints, after confirmation; one submitted to a
 * cluster has its job cancelled and its recorded savepoints forgotten. Should the release fail, the records stay, so
 * that running delete again retries it.
 */
@Command(name = "delete", description = "Delete a pipeline: release its source's replication slot and publication "
        + "(PostgreSQL), cancel its job on the cluster, remove the checkpoints of 'tapflow run' (asks first).")
public final class DeleteCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin FlinkOptions flink;
    @Parameters(index = "0", description = "Pipeline name.") String pipeline;
    @Option(names = {"-y", "--yes"}, description = "Do not ask before removing local checkpoints (for scripts).") boolean yes;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        LocalRun run = LocalRun.of(pipeline);
        SavepointHistory history = SavepointHistory.of(pipeline);
        if (run.exists()) {
            if (!deleteLocalRun(run, out)) {
                return 0;
            }
            if (history.lastStarted().isEmpty()) {
                return 0;
            }
        }
        FlinkRestClient client = flink.client();
        var active = activeJob(client, !run.exists() && history.lastStarted().isEmpty());
        if (active.isEmpty() && history.lastStarted().isEmpty()) {
            ClusterJobs.find(client, pipeline); // throws: unknown job, with the list of known ones
        }
        active.ifPresent(j -> {
            client.cancel(j.path("jid").asText());
            out.println("cancelled job " + j.path("jid").asText());
        });
        history.lastStarted().ifPresent(started -> SourceResources.release(Catalog.open(), started).forEach(out::println));
        history.delete();
        out.println("deleted pipeline '" + pipeline + "' (savepoint files on the cluster are not removed)");
        return 0;
    }

    /**
     * The pipeline's job on the cluster. When nothing here knows the pipeline either, an unreachable cluster is reported
     * as an unknown pipeline first: {@code delete} of a mistyped name must not read as a cluster problem.
     */
    private Optional<JsonNode> activeJob(FlinkRestClient client, boolean unknownHere) {
        try {
            return ClusterJobs.active(client, pipeline);
        } catch (FlinkUnreachableException e) {
            if (!unknownHere) {
                throw e;
            }
            throw new TapflowException("unknown pipeline '" + pipeline + "': it did not run here with 'tapflow run' nor was "
                    + "it started with 'tapflow start', and to look for a job of that name on a cluster: " + e.getMessage(), e);
        }
    }

    /** Deletes what {@code tapflow run} left of the pipeline; false when the user said no. */
    private boolean deleteLocalRun(LocalRun run, PrintWriter out) {
        RunLock.runningPid(run).ifPresent(pid -> {
            throw new TapflowException("pipeline '" + pipeline + "' is running (pid " + pid + ", 'tapflow run'); "
                    + "stop it first (Ctrl-C where it runs, or kill " + pid + ")");
        });
        if (!confirmed("delete pipeline '" + pipeline + "': release its sources' replication slot and publication "
                + "(PostgreSQL) and remove its checkpoints in " + run.checkpointDir() + ", so it can no longer resume?")) {
            out.println("nothing deleted");
            return false;
        }
        Optional<JobSpec> started = run.lastStarted();
        started.ifPresent(s -> SourceResources.release(Catalog.open(), s).forEach(out::println));
        run.delete();
        out.println("deleted pipeline '" + pipeline + "': removed its checkpoints " + run.checkpointDir());
        if (started.isEmpty()) {
            out.println("its sources are unknown (it last ran before tapflow recorded them): a PostgreSQL source keeps "
                    + "replication slot " + PostgresReplicationNames.slotName(pipeline) + " and publication "
                    + PostgresReplicationNames.publicationName(pipeline) + "; drop them with pg_drop_replication_slot "
                    + "and DROP PUBLICATION");
        }
        return true;
    }

    private boolean confirmed(String question) {
        if (yes) {
            return true;
        }
        Console console = System.console();
        if (console == null) {
            throw new TapflowException("'tapflow delete " + pipeline + "' removes the pipeline's checkpoints and asks first, "
                    + "but there is no terminal to ask on; add --yes to delete without asking");
        }
        String answer = console.readLine("%s [y/N] ", question);
        return answer != null && answer.trim().toLowerCase(java.util.Locale.ROOT).startsWith("y");
    }
}
