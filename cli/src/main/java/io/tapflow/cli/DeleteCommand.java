package io.tapflow.cli;

import io.tapflow.cli.flink.ClusterJobs;
import io.tapflow.cli.flink.FlinkRestClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tapflow delete <pipeline>}: cancels the pipeline's job if it runs, releases what its source keeps on the
 * server ({@link SourceResources}: a PostgreSQL replication slot, which would otherwise hold WAL forever), and forgets
 * what tapflow recorded about it (started spec, savepoint list). Should the release fail, the record stays, so that
 * running delete again retries it.
 */
@Command(name = "delete", description = "Cancel a pipeline's job, release its source's replication slot (PostgreSQL) and forget its recorded savepoints.")
final class DeleteCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin FlinkOptions flink;
    @Parameters(index = "0", description = "Pipeline name.") String pipeline;

    @Override
    public Integer call() {
        FlinkRestClient client = flink.client();
        PrintWriter out = spec.commandLine().getOut();
        SavepointHistory history = SavepointHistory.of(pipeline);
        var active = ClusterJobs.active(client, pipeline);
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
}
