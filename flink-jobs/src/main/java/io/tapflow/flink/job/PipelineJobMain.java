package io.tapflow.flink.job;

import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.JobSpec;
import io.tapflow.flink.sink.SinkOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry class of the tapflow job jar: {@code flink run tapflow-job.jar --pipeline spec.json [--checkpoint-dir uri]}.
 * The spec is a {@link JobSpec} in its JSON form, read from a file ({@code --pipeline}) or given inline
 * ({@code --pipeline-json}, how tapflow submits over Flink's REST API, where no shared file system can be assumed).
 * Job arguments show in the Flink dashboard, so a shipped spec holds {@code ${env:NAME}} references, not secrets:
 * they are resolved here, from the environment of the process that runs this method (the JobManager for REST
 * submissions and application mode, the client for {@code flink run}).
 */
public final class PipelineJobMain {
    private PipelineJobMain() {}

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        JobSpec spec = readSpec(params);
        JobPlan plan = JobPlanner.plan(spec);
        Path checkpointDir = params.has("checkpoint-dir") ? Path.of(params.get("checkpoint-dir")) : null;
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(FlinkJobConfig.forPipeline(spec.pipeline().settings(), checkpointDir));
        JobTranslator.translate(env, plan, SinkOptions.DEFAULTS);
        env.execute(spec.pipeline().name());
    }

    private static JobSpec readSpec(ParameterTool params) throws java.io.IOException {
        if (params.has("pipeline-json")) {
            return DefinitionJson.jobSpec(params.get("pipeline-json"), "argument --pipeline-json");
        }
        Path specFile = Path.of(params.getRequired("pipeline"));
        return DefinitionJson.jobSpec(Files.readString(specFile), specFile.toString());
    }
}
