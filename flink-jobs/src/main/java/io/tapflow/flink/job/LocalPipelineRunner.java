package io.tapflow.flink.job;

import io.tapflow.dsl.TapflowException;
import java.lang.management.ManagementFactory;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Runs a planned pipeline on an embedded Flink mini cluster in this JVM. */
public final class LocalPipelineRunner {
    private LocalPipelineRunner() {}

    public static RunningPipeline start(JobPlan plan, LocalRunOptions options) {
        Configuration conf = FlinkJobConfig.forPipeline(plan.pipeline().settings(), options.checkpointDir());
        FlinkJobConfig.embeddedTaskManager(conf, plan.pipeline().settings().parallelism(), physicalMemoryBytes());
        if (options.restoreFrom() != null) {
            conf.setString("execution.state-recovery.path", options.restoreFrom().toUri().toString());
        }
        StreamExecutionEnvironment env;
        if (options.webUiPort() >= 0) {
            conf.setString("rest.port", String.valueOf(options.webUiPort()));
            conf.setString("rest.bind-address", "127.0.0.1");
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        } else {
            env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        }
        JobTranslator.translate(env, plan, options.sinkOptions());
        try {
            JobClient client = env.executeAsync(plan.pipeline().name());
            return new RunningPipeline(plan.pipeline().name(), client);
        } catch (Exception e) {
            throw new TapflowException("pipeline '" + plan.pipeline().name() + "' could not start on the embedded Flink: "
                    + e.getMessage(), e);
        }
    }

    private static long physicalMemoryBytes() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    }
}
