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
 * The spec is a {@link JobSpec} in its JSON form.
 */
public final class PipelineJobMain {
    private PipelineJobMain() {}

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        Path specFile = Path.of(params.getRequired("pipeline"));
        JobSpec spec = DefinitionJson.jobSpec(Files.readString(specFile), specFile.toString());
        JobPlan plan = JobPlanner.plan(spec);
        Path checkpointDir = params.has("checkpoint-dir") ? Path.of(params.get("checkpoint-dir")) : null;
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(FlinkJobConfig.forPipeline(spec.pipeline().settings(), checkpointDir));
        JobTranslator.translate(env, plan, SinkOptions.DEFAULTS);
        env.execute(spec.pipeline().name());
    }
}
