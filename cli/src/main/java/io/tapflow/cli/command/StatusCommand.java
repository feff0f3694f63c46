package io.tapflow.cli.command;

import io.tapflow.cli.FlinkOptions;
import io.tapflow.cli.flink.ClusterJobs;
import io.tapflow.cli.flink.FlinkRestClient;
import io.tapflow.cli.flink.JobSnapshot;
import io.tapflow.cli.flink.JobSnapshots;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tapflow status <job> [--json]}: one job in detail. */
@Command(name = "status", description = "Show one job: state, rows, records per step, lag, last checkpoint, restarts.")
public final class StatusCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin FlinkOptions flink;
    @Parameters(index = "0", description = "Job: pipeline name or Flink job id.") String job;
    @Option(names = "--json", description = "Print JSON.") boolean json;

    @Override
    public Integer call() throws InterruptedException {
        FlinkRestClient client = flink.client();
        String jobId = ClusterJobs.find(client, job).path("jid").asText();
        JobSnapshots.prime(client, List.of(jobId));
        JobSnapshot s = JobSnapshots.take(client, jobId);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JobFormat.json(s));
        } else {
            print(out, s);
        }
        return 0;
    }

    /** The detailed view, shared with {@code tapflow monitor}. */
    static void print(PrintWriter out, JobSnapshot s) {
        out.printf("job '%s' (%s): %s since %s, up %s%n", s.name(), s.id(), s.state(), JobFormat.time(s.startTime()),
                JobFormat.duration(s.durationMs()));
        out.printf("rows read %d (%.0f/s), rows written %d, CDC lag %s, backpressure %s, restarts %d%n",
                s.rowsRead(), s.rowsReadPerSecond(), s.rowsWritten(), JobFormat.lag(s.cdcLagMs()), s.backpressure(), s.restarts());
        out.printf("end-to-end latency (source commit to target write): p50 %s, p99 %s%n", JobFormat.lag(s.latencyP50Ms()),
                JobFormat.lag(s.latencyP99Ms()));
        out.println("last checkpoint: " + JobFormat.checkpoint(s));
        if (s.verifySamples() != null) {
            out.printf("verify samples (verify.sample-per-second): %d key(s) checked, %d mismatched%s%n", s.verifySamples().checked(),
                    s.verifySamples().mismatched(), s.verifySamples().mismatched() > 0 ? " (the job's log names each key)" : "");
        }
        if (s.lookupStateRows() != null) {
            out.printf("lookup state: %d rows held (parent and looked-up rows, in keyed state)%n", s.lookupStateRows());
        }
        s.tables().forEach((table, rows) -> out.printf("  table %-40s read %10d  written %10d%s%n", table, rows.rowsRead(),
                rows.rowsWritten(), rows.snapshot() == null ? "" : "  " + JobFormat.snapshot(rows.snapshot())));
        for (JobSnapshot.OperatorRecords op : s.operators()) {
            out.printf("  %-60s in %10d  out %10d%n", op.operator(), op.recordsIn(), op.recordsOut());
        }
        if (s.restartOutlook() != null) {
            out.println(s.restartOutlook());
        } else if (s.lastFailure() != null) {
            out.println("last failure: " + s.lastFailure());
        }
    }
}
