package io.tapflow.cli.command;

import io.tapflow.cli.run.LocalCluster;
import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.cli.flink.FlinkRestClient;
import java.io.PrintWriter;
import io.tapflow.cluster.LocalFlinkCluster;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tapflow cluster start|status|stop}: the local Flink session cluster, running in the background. */
@Command(name = "cluster", description = "Start, inspect or stop the local Flink session cluster.",
        subcommands = {ClusterCommand.Start.class, ClusterCommand.Status.class, ClusterCommand.Stop.class})
public final class ClusterCommand {

    /** {@code tapflow cluster start [--port 8081] [--task-managers 1] [--slots 4]}. */
    @Command(name = "start", description = "Start a local Flink 1.20 session cluster in the background; state under $TAPFLOW_HOME/cluster.")
    static final class Start implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--port", defaultValue = "8081", description = "REST API and web dashboard port (default: ${DEFAULT-VALUE}).")
        int port;
        @Option(names = "--task-managers", defaultValue = "1", description = "TaskManager processes (default: ${DEFAULT-VALUE}).")
        int taskManagers;
        @Option(names = "--slots", defaultValue = "4", description = "Task slots per TaskManager (default: ${DEFAULT-VALUE}).")
        int slots;
        @Option(names = "--ha", description = "Highly available: a standby JobManager (REST API on --port + 1) takes the jobs over when "
                + "the leader dies; leader election in a ZooKeeper process, job graphs and checkpoint metadata under $TAPFLOW_HOME/cluster/ha.")
        boolean highAvailability;

        @Override
        public Integer call() {
            LocalCluster local = LocalCluster.inHome();
            LocalCluster.State state = local.start(port, taskManagers, slots, highAvailability);
            spec.commandLine().getOut().println("local Flink cluster running: dashboard and REST API at " + state.restUrl()
                    + (highAvailability ? " and, on the standby JobManager, http://localhost:" + (port + 1) + " (highly available)" : "")
                    + " (" + taskManagers + " TaskManager(s), " + slots + " slot(s) each; logs in " + local.directory().resolve("log")
                    + "); stop it with 'tapflow cluster stop'");
            return 0;
        }
    }

    /** {@code tapflow cluster status}. */
    @Command(name = "status", description = "Show whether the local cluster runs, and its TaskManagers, slots and jobs.")
    static final class Status implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Optional<LocalCluster.State> state = LocalCluster.inHome().running();
            if (state.isEmpty()) {
                out.println("the local Flink cluster is not running; start it with 'tapflow cluster start'");
                return 1;
            }
            JsonNode o = new FlinkRestClient(state.get().restUrl()).overview();
            out.printf("local Flink %s cluster running at %s: %d TaskManager(s), %d of %d slot(s) free, %d job(s) running%n",
                    o.path("flink-version").asText(), state.get().restUrl(), o.path("taskmanagers").asInt(),
                    o.path("slots-available").asInt(), o.path("slots-total").asInt(), o.path("jobs-running").asInt());
            if (state.get().highlyAvailable()) {
                List<Integer> ports = state.get().restPorts();
                out.println("highly available: " + LocalFlinkCluster.leadingJobManager(LocalCluster.inHome().directory().resolve("log"),
                        ports.size()).stream().mapToObj(i -> "the leading JobManager is the one at http://localhost:" + ports.get(i))
                        .findFirst().orElse("no JobManager leads right now (an election is under way)"));
            }
            return 0;
        }
    }

    /** {@code tapflow cluster stop}. */
    @Command(name = "stop", description = "Stop the local cluster (its checkpoints and savepoints are kept).")
    static final class Stop implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            boolean stopped = LocalCluster.inHome().stop();
            spec.commandLine().getOut().println(stopped ? "local Flink cluster stopped" : "the local Flink cluster was not running");
            return 0;
        }
    }
}
