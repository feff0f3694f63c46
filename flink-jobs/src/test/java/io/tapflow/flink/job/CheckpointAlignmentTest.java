package io.tapflow.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.connector.SourceTables;
import io.tapflow.flink.sink.SinkOptions;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * A job writing to a target that promises exactly-once delivery aligns its checkpoints' barriers (see
 * {@link FlinkJobConfig#alignCheckpoints}); every other job keeps the cheaper at-least-once checkpoints.
 */
class CheckpointAlignmentTest {
    private static final DataSource MYSQL = DataSource.of("mariadb", "shop").host("h").username("u").database("d");
    private static final DataSource KAFKA = DataSource.of("kafka", "events").option("bootstrap-servers", "localhost:9092");

    @Test
    void anExactlyOnceKafkaTargetGetsAlignedCheckpoints() {
        assertThat(checkpointingModeInto(KAFKA.option("delivery", "exactly-once"))).isEqualTo(CheckpointingMode.EXACTLY_ONCE);
    }

    @Test
    void anAtLeastOnceKafkaTargetAndKeyedUpsertTargetsKeepAtLeastOnceCheckpoints() {
        assertThat(checkpointingModeInto(KAFKA)).isEqualTo(CheckpointingMode.AT_LEAST_ONCE);
        assertThat(checkpointingModeInto(DataSource.of("postgres", "dw").host("h").username("u").database("d")))
                .isEqualTo(CheckpointingMode.AT_LEAST_ONCE);
    }

    private static CheckpointingMode checkpointingModeInto(DataSource target) {
        Pipeline pipeline = Pipeline.named("p").readFrom(MYSQL.table("item")).writeTo(target);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(FlinkJobConfig.forPipeline(pipeline.settings(), null));
        JobPlan plan = new JobPlan(pipeline, List.of(new JobPlan.Source(MYSQL, new SourceTables(List.of(), ZoneOffset.UTC))),
                target, List.of(), List.of(), null);
        JobTranslator.translate(env, plan, SinkOptions.DEFAULTS);
        return env.getCheckpointConfig().getCheckpointingConsistencyMode();
    }
}
