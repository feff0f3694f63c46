package io.tapflow.flink.job;

import io.tapflow.dsl.PipelineSettings;
import io.tapflow.dsl.RestartPolicy;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Flink settings every tapflow job runs with: RocksDB state, checkpoints retained on cancellation (so a stopped
 * job can resume from its last one), at-least-once checkpointing (sinks are idempotent, barriers need no alignment),
 * the pipeline's restart policy, and object reuse (steps change events in place; see ChangeEvent). A target that
 * promises exactly-once delivery gets aligned checkpoints instead ({@link #alignCheckpoints}).
 */
public final class FlinkJobConfig {
    private FlinkJobConfig() {}

    public static Configuration forPipeline(PipelineSettings settings, Path checkpointDir) {
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.incremental", "true");
        // RocksDB's memtables allocate arena blocks of 1/8 of the write buffer (64 MB by default: 8 MB blocks). A
        // lookup job has a dozen state column families in one slot, whose first blocks alone exceed the slot's
        // managed write-buffer budget (half of 128 MB in a local run): the write buffer manager then flushed a memtable
        // on nearly every write (4,900 flushes in 90 s of a lookup snapshot, each leaving a tiny L0 file that every
        // get and iterator then searched). 4 MB buffers (512 KB blocks) stay within the budget.
        conf.setString("state.backend.rocksdb.writebuffer.size", "4mb");
        // The upper levels are rewritten by every compaction that passes through them: compressing them cost a fifth
        // to a third of a lookup snapshot's CPU. The lower levels, where most of a large state ends up, stay
        // compressed with LZ4 (about as small as the default Snappy, cheaper to read).
        conf.setString("state.backend.rocksdb.compression.per.level", "NO_COMPRESSION;NO_COMPRESSION;LZ4_COMPRESSION");
        if (checkpointDir != null) {
            conf.setString("execution.checkpointing.dir", checkpointDir.toUri().toString());
        }
        conf.setString("execution.checkpointing.interval", settings.checkpointIntervalMs() + " ms");
        conf.setString("execution.checkpointing.mode", "AT_LEAST_ONCE");
        conf.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        conf.setString("execution.checkpointing.tolerable-failed-checkpoints", "3");
        restarts(conf, settings.restart());
        // Restart every task on a failure. This is not a global failover: source enumerators keep their state while the
        // tasks restore the last checkpoint. The one case where that breaks (a failure right after a MySQL snapshot hands
        // over to the binlog) is escalated to a global failover by MySqlBinlogSource, which restores the enumerators too.
        conf.setString("jobmanager.execution.failover-strategy", "full");
        conf.setString("pipeline.object-reuse", "true");
        // Small network buffers timeout: a change should not wait 100 ms for a buffer to fill.
        conf.setString("execution.buffer-timeout.interval", "5 ms");
        conf.setString("parallelism.default", String.valueOf(settings.parallelism()));
        return conf;
    }

    /**
     * The TaskManager of an embedded run ({@code tapflow run}, the quickstart): Flink's local default of 128 MB of
     * managed memory is RocksDB's whole block cache and write-buffer budget, which a lookup's state outgrows at a few
     * hundred thousand rows. An eighth of the machine's memory, at most {@value #EMBEDDED_MANAGED_MB} MB, is taken
     * instead (RocksDB allocates it only as the state grows), and memtables sized to each slot's share of it: with few,
     * large memtables a snapshot writes few, large files, which compactions rewrite far less often than the small
     * ones of {@link #forPipeline}'s cluster setting.
     */
    public static void embeddedTaskManager(Configuration conf, int slots, long physicalMemoryBytes) {
        long managedMb = Math.max(MIN_MANAGED_MB, Math.min(EMBEDDED_MANAGED_MB, physicalMemoryBytes / 8 / (1 << 20)));
        conf.setString("taskmanager.numberOfTaskSlots", String.valueOf(slots));
        conf.setString("taskmanager.memory.managed.size", managedMb + "m");
        // A slot's operators share its share of the managed memory, half of it for memtables; a dozen column families
        // (a lookup's states) each fill a memtable of 1/32 of the share at most, arenas of 1/8 of that included.
        long bufferMb = Math.max(4, Math.min(32, managedMb / slots / 32));
        conf.setString("state.backend.rocksdb.writebuffer.size", bufferMb + "mb");
    }

    /** The most managed memory an embedded run takes; Flink's local default is 128 MB. */
    static final long EMBEDDED_MANAGED_MB = 1024;
    private static final long MIN_MANAGED_MB = 128;

    /**
     * Exactly-once (aligned) checkpoints, for a target that promises each change once to its readers. At-least-once
     * checkpoints do not align barriers: a task with several inputs (the sink behind the keyed exchange at parallelism
     * 2 or more, or behind a union of sources) goes on taking the records that follow a checkpoint's barrier on one
     * input until the barrier has come on every input. Those records are then written inside that checkpoint's Kafka
     * transaction, which commits, while the source position saved in the same checkpoint lies before them: after a
     * restore from it they are read and written again, and a read_committed consumer sees them twice.
     */
    public static void alignCheckpoints(StreamExecutionEnvironment env) {
        env.getCheckpointConfig().setCheckpointingConsistencyMode(CheckpointingMode.EXACTLY_ONCE);
    }

    /** The job parameter that carries the restart policy to {@code tapflow status} (Flink's REST API shows job parameters). */
    public static final String RESTART_PARAMETER = "tapflow.restart";

    private static void restarts(Configuration conf, RestartPolicy policy) {
        switch (policy.mode()) {
            case "exponential" -> {
                conf.setString("restart-strategy.type", "exponential-delay");
                conf.setString("restart-strategy.exponential-delay.initial-backoff", policy.initialDelayMs() + " ms");
                conf.setString("restart-strategy.exponential-delay.max-backoff", policy.maxDelayMs() + " ms");
                conf.setString("restart-strategy.exponential-delay.backoff-multiplier", "2.0");
                conf.setString("restart-strategy.exponential-delay.reset-backoff-threshold", policy.resetAfterMs() + " ms");
                // No jitter: the delays are then exactly as the policy and status say.
                conf.setString("restart-strategy.exponential-delay.jitter-factor", "0.0");
                conf.setString("restart-strategy.exponential-delay.attempts-before-reset-backoff", String.valueOf(Integer.MAX_VALUE));
            }
            case "fixed" -> {
                conf.setString("restart-strategy.type", "fixed-delay");
                conf.setString("restart-strategy.fixed-delay.attempts", String.valueOf(policy.attempts()));
                conf.setString("restart-strategy.fixed-delay.delay", policy.initialDelayMs() + " ms");
            }
            default -> conf.setString("restart-strategy.type", "none");
        }
        conf.setString("pipeline.global-job-parameters", RESTART_PARAMETER + ":" + String.join("/", policy.mode(),
                String.valueOf(policy.initialDelayMs()), String.valueOf(policy.maxDelayMs()), String.valueOf(policy.attempts()),
                String.valueOf(policy.resetAfterMs())));
    }
}
