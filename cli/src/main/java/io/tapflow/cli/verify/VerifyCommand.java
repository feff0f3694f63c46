package io.tapflow.cli.verify;

import io.tapflow.cli.catalog.PipelineSpecs;
import io.tapflow.cli.FlinkOptions;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.verify.Verifier;
import io.tapflow.flink.verify.VerifyMode;
import io.tapflow.flink.verify.VerifyOptions;
import io.tapflow.flink.verify.VerifyReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tapflow verify <pipeline>}: compares the pipeline's target with what it should have written. Exit code 0 when
 * equal, 3 when there are differences, 1 on an error.
 */
@Command(name = "verify", description = "Compare a pipeline's target with what the pipeline should have written there.")
public final class VerifyCommand implements Callable<Integer> {
    /** The exit code when the target differs. */
    public static final int DIFFERENCES = 3;

    @Spec CommandSpec spec;
    @Mixin FlinkOptions flink;
    @Parameters(index = "0", paramLabel = "pipeline", description = "A pipeline file (JSON, .py or .js), a saved pipeline, or a started job's name.")
    String pipeline;
    @Option(names = "--mode", defaultValue = "rows", paramLabel = "count|rows|hash",
            description = "count: row counts only; rows: every field of every row; hash: checksums of key ranges in the "
                    + "databases, differing ranges compared row by row (default: ${DEFAULT-VALUE}).")
    String mode;
    @Option(names = "--json", description = "Print the report as JSON.") boolean json;
    @Option(names = "--examples", defaultValue = "10", paramLabel = "N", description = "Differences shown per table (default: ${DEFAULT-VALUE}).")
    int examples;
    @Option(names = "--repair", description = "Write the source's current version of differing and missing rows, delete extra ones.")
    boolean repair;
    @Option(names = "--dry-run", description = "With --repair: only list what it would write and delete.") boolean dryRun;
    @Option(names = "--lag-timeout", defaultValue = "120s", paramLabel = "DURATION",
            description = "How long to wait for a running job's next checkpoint before checking differences again (default: ${DEFAULT-VALUE}).")
    String lagTimeout;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        VerifyOptions options = options();
        Duration lagWaitTimeout = duration(lagTimeout);
        JobSpec jobSpec = PipelineSpecs.resolve(pipeline);
        VerifyReport report;
        try {
            Runnable lagWait = CheckpointLagWait.forPipeline(flink.client(), jobSpec.pipeline().name(), lagWaitTimeout, err)
                    .<Runnable>map(w -> w).orElse(() -> { });
            report = Verifier.verify(jobSpec, options.withLagWait(lagWait));
        } catch (TapflowException e) {
            throw e;
        } catch (RuntimeException e) {
            // Exit 1 like every other error: 3 means "differences" for this command.
            throw new TapflowException("verify of pipeline '" + jobSpec.pipeline().name() + "' failed: " + e, e);
        }
        if (json) {
            out.println(VerifyReportJson.of(report));
            out.flush();
        } else {
            VerifyReportText.print(report, out);
        }
        return report.equal() ? 0 : DIFFERENCES;
    }

    private VerifyOptions options() {
        VerifyMode m = switch (mode.toLowerCase()) {
            case "count" -> VerifyMode.COUNT;
            case "rows" -> VerifyMode.ROWS;
            case "hash" -> VerifyMode.HASH;
            default -> throw new ParameterException(spec.commandLine(), "unknown --mode '" + mode + "'; allowed: count, rows, hash");
        };
        if (dryRun && !repair) {
            throw new ParameterException(spec.commandLine(), "--dry-run goes with --repair: 'tapflow verify " + pipeline + " --repair --dry-run'");
        }
        if (repair && m == VerifyMode.COUNT) {
            throw new ParameterException(spec.commandLine(), "--repair needs --mode rows or hash: counts do not say which rows differ");
        }
        if (examples < 0) {
            throw new ParameterException(spec.commandLine(), "--examples must be 0 or more, not " + examples);
        }
        VerifyOptions options = VerifyOptions.rows().withMode(m).withExamples(examples);
        return repair ? options.withRepair(dryRun) : options;
    }

    private Duration duration(String text) {
        try {
            return Duration.parse("PT" + text.toUpperCase());
        } catch (java.time.format.DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), "--lag-timeout '" + text + "' is not a duration such as 30s, 5m or 1h");
        }
    }
}
