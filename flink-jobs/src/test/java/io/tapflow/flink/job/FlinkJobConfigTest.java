package io.tapflow.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.PipelineSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.junit.jupiter.api.Test;

class FlinkJobConfigTest {
    private final Configuration conf = FlinkJobConfig.forPipeline(PipelineSettings.DEFAULTS, Path.of("/tapflow-test/checkpoints"));

    @Test
    void changesWaitAtMostFiveMillisecondsForANetworkBuffer() {
        assertThat(conf.get(ExecutionOptions.BUFFER_TIMEOUT)).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void checkpointsAreIncrementalAndGoToTheGivenDirectory() {
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///tapflow-test/checkpoints");
    }

    /** Flink warns once per job and operator about each deprecated key it reads: none of ours may be one. */
    @Test
    void noKeyIsADeprecatedFlinkKey() {
        assertThat(conf.keySet()).doesNotContain("execution.buffer-timeout", "state.backend.incremental", "state.checkpoints.dir");
    }
}
