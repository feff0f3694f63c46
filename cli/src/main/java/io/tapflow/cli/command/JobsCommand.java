package io.tapflow.cli.command;

import io.tapflow.cli.FlinkOptions;
import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.cli.flink.ClusterJobs;
import io.tapflow.cli.flink.FlinkRestClient;
import io.tapflow.cli.flink.JobSnapshot;
import io.tapflow.cli.flink.JobSnapshots;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tapflow jobs [--json]}: every job of the cluster with status, uptime, rows, qps and CDC lag. */
@Command(name = "jobs", description = "List the jobs of the Flink cluster: name, status, uptime, rows, qps, lag.")
public final class JobsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin FlinkOptions flink;
    @Option(names = "--json", description = "Print JSON.") boolean json;

    @Override
    public Integer call() throws InterruptedException {
        FlinkRestClient client = flink.client();
        List<JsonNode> jobs = client.jobs();
        JobSnapshots.prime(client, jobs.stream().filter(j -> !ClusterJobs.isEnded(j)).map(j -> j.path("jid").asText()).toList());
        List<JobSnapshot> snapshots = new ArrayList<>();
        for (JsonNode job : jobs) {
            snapshots.add(JobSnapshots.take(client, job.path("jid").asText()));
        }
        snapshots.sort((a, b) -> Long.compare(b.startTime(), a.startTime()));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JobFormat.json(snapshots));
            return 0;
        }
        if (snapshots.isEmpty()) {
            out.println("no jobs on " + client.url() + "; start one with 'tapflow start <pipeline.json>'");
            return 0;
        }
        out.printf("%-24s %-32s %-10s %8s %12s %12s %9s %9s%n", "NAME", "JOB ID", "STATUS", "UPTIME", "ROWS READ", "ROWS WRITTEN", "QPS", "LAG");
        for (JobSnapshot s : snapshots) {
            out.printf("%-24s %-32s %-10s %8s %12d %12d %9.0f %9s%n", s.name(), s.id(), s.state(),
                    ClusterJobs.isEnded(s.state()) ? "-" : JobFormat.duration(s.durationMs()), s.rowsRead(), s.rowsWritten(), s.rowsReadPerSecond(), JobFormat.lag(s.cdcLagMs()));
        }
        return 0;
    }
}
