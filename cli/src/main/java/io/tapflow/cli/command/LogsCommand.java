package io.tapflow.cli.command;

import io.tapflow.cli.FlinkOptions;
import io.tapflow.cli.flink.ClusterJobs;
import io.tapflow.cli.flink.FlinkRestClient;
import io.tapflow.cli.flink.JobEvents;
import io.tapflow.cli.flink.JobEvents.Event;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tapflow logs <job> [--limit N] [--follow]}: the job's own log (state changes, checkpoints, failures, restarts). */
@Command(name = "logs", description = "Show a job's log: state changes, checkpoints and savepoints, failures and restarts.")
public final class LogsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin FlinkOptions flink;
    @Parameters(index = "0", description = "Job: pipeline name or Flink job id.") String job;
    @Option(names = "--limit", defaultValue = "100", description = "Show the last N lines (default: ${DEFAULT-VALUE}).") int limit;
    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until the job ends or Ctrl-C.") boolean follow;
    @Option(names = "--json", description = "Print the lines as one JSON array (not with --follow).") boolean json;

    @Override
    public Integer call() throws InterruptedException {
        FlinkRestClient client = flink.client();
        String jobId = ClusterJobs.find(client, job).path("jid").asText();
        PrintWriter out = spec.commandLine().getOut();
        List<Event> events = JobEvents.read(client, jobId);
        List<Event> last = events.subList(Math.max(0, events.size() - limit), events.size());
        if (json) {
            out.println(JobFormat.json(last));
            return 0;
        }
        Set<Event> printed = new HashSet<>(events);
        last.forEach(e -> print(out, e));
        out.flush();
        while (follow) {
            Thread.sleep(1000);
            // Read the state before the events, so that the lines of the job's end are printed before the loop ends.
            boolean ended = ClusterJobs.isEnded(client.job(jobId).path("state").asText());
            for (Event e : JobEvents.read(client, jobId)) {
                if (printed.add(e)) {
                    print(out, e);
                }
            }
            out.flush();
            if (ended) {
                break;
            }
        }
        return 0;
    }

    private static void print(PrintWriter out, Event e) {
        out.println(JobFormat.time(e.timestamp()) + "  " + e.message());
    }
}
