package io.tapflow.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.PipelineSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
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

    @Test
    void anEmbeddedRunTakesAnEighthOfTheMachinesMemoryForStateUpToOneGigabyteWithMemtablesSizedToEachSlot() {
        Configuration big = FlinkJobConfig.forPipeline(PipelineSettings.DEFAULTS, null);
        FlinkJobConfig.embeddedTaskManager(big, 1, 24L << 30);
        assertThat(big.get(TaskManagerOptions.MANAGED_MEMORY_SIZE)).isEqualTo(MemorySize.ofMebiBytes(1024));
        assertThat(big.get(TaskManagerOptions.NUM_TASK_SLOTS)).isEqualTo(1);
        assertThat(big.getString("state.backend.rocksdb.writebuffer.size", null)).isEqualTo("32mb");

        Configuration fourSlots = FlinkJobConfig.forPipeline(PipelineSettings.DEFAULTS, null);
        FlinkJobConfig.embeddedTaskManager(fourSlots, 4, 24L << 30);
        assertThat(fourSlots.getString("state.backend.rocksdb.writebuffer.size", null)).isEqualTo("8mb");

        // A small machine keeps Flink's local default and the cluster's memtables.
        Configuration small = FlinkJobConfig.forPipeline(PipelineSettings.DEFAULTS, null);
        FlinkJobConfig.embeddedTaskManager(small, 2, 1L << 30);
        assertThat(small.get(TaskManagerOptions.MANAGED_MEMORY_SIZE)).isEqualTo(MemorySize.ofMebiBytes(128));
        assertThat(small.getString("state.backend.rocksdb.writebuffer.size", null)).isEqualTo("4mb");
    }
}
