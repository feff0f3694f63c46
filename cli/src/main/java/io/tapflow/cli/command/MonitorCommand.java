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

/** {@code tapflow monitor <job>}: the job's detailed view, refreshed until Ctrl-C (or --count refreshes). */
@Command(name = "monitor", description = "Watch a job live: rows, records per step, qps, CDC lag, checkpoints, backpressure, restarts.")
public final class MonitorCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin FlinkOptions flink;
    @Parameters(index = "0", description = "Job: pipeline name or Flink job id.") String job;
    @Option(names = "--interval-ms", defaultValue = "2000", description = "Refresh interval (default: ${DEFAULT-VALUE}).") long intervalMs;
    @Option(names = "--count", defaultValue = "0", description = "Stop after this many refreshes (default: until Ctrl-C).") int count;

    @Override
    public Integer call() throws InterruptedException {
        FlinkRestClient client = flink.client();
        String jobId = ClusterJobs.find(client, job).path("jid").asText();
        PrintWriter out = spec.commandLine().getOut();
        JobSnapshots.prime(client, List.of(jobId));
        JobSnapshot previous = null;
        for (int i = 0; count <= 0 || i < count; i++) {
            if (i > 0) {
                Thread.sleep(intervalMs);
            }
            JobSnapshot now = JobSnapshots.take(client, jobId);
            if (System.console() != null) {
                out.print("\033[H\033[2J"); // clear the terminal: a live view, not a scrolling log
            }
            StatusCommand.print(out, now);
            if (previous != null && now.takenAtMillis() > previous.takenAtMillis()) {
                double seconds = (now.takenAtMillis() - previous.takenAtMillis()) / 1000.0;
                out.printf("since last refresh: %.0f rows/s read, %.0f rows/s written%n",
                        (now.rowsRead() - previous.rowsRead()) / seconds, (now.rowsWritten() - previous.rowsWritten()) / seconds);
            }
            out.println();
            out.flush();
            if (ClusterJobs.isEnded(now.state())) {
                return 0;
            }
            previous = now;
        }
        return 0;
    }
}
