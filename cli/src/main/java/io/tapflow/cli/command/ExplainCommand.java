package io.tapflow.cli.command;

import io.tapflow.cli.catalog.PipelineSpecs;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapflow.flink.job.PipelineExplainer;
import io.tapflow.flink.job.PipelineExplanation;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tapflow explain <pipeline>}: what the pipeline will do, read from the real servers before it runs (tables,
 * keys, columns after each step, target tables and their DDL, what schema changes do). Creates nothing.
 */
@Command(name = "explain", description = "Show what a pipeline will do before it runs: tables, keys, columns after each step, "
        + "target tables and the DDL that would create them, and what schema changes do.")
public final class ExplainCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec CommandSpec spec;
    @Parameters(index = "0", paramLabel = "pipeline", description = "A pipeline file (JSON, .py or .js), a saved pipeline, or a started job's name.")
    String pipeline;
    @Option(names = "--json", description = "Print the explanation as JSON.") boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        PipelineExplanation explanation = PipelineExplainer.explain(PipelineSpecs.resolve(pipeline));
        if (json) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(explanation));
        } else {
            ExplainText.print(explanation, out);
        }
        out.flush();
        return 0;
    }
}
