package io.tapflow.flink;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.PipelineSettings;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.connector.SourceFactory;
import io.tapflow.flink.connector.SourceTables;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.ChangeEventTypeInfo;
import io.tapflow.flink.job.FlinkJobConfig;
import io.tapflow.flink.source.ChangeStreamStart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.streaming.api.operators.collect.CollectSinkOperatorFactory;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.FileUtils;

/** Reads one table through its real source connector, as a job does: the snapshot's rows, then later changes. */
final class SourceReads {
    /** Changes made to the source once the snapshot rows have arrived. */
    interface Changes {
        void make() throws Exception;
    }

    private SourceReads() {}

    /**
     * @param pipelineName names what the source keeps on the server (released afterwards)
     * @return the events by the {@code id} column of their row
     */
    static Map<Integer, ChangeEvent> snapshotThenChanges(DataSource ds, String table, String pipelineName, int snapshotRows,
                                                         Changes changes, int changedRows) throws Exception {
        SourceFactory factory = ConnectorFactories.source(ds.type());
        SourceTables tables = factory.inspect(ds, List.of(table), List.of());
        // Checkpoints to files: rows of several MB in flight outgrow the JobManager's in-memory checkpoint limit.
        Path checkpoints = Files.createTempDirectory("source-reads");
        Configuration config = FlinkJobConfig.forPipeline(PipelineSettings.DEFAULTS.withCheckpointIntervalMs(1000), checkpoints);
        // Rows of several MB (the edge-value tests) must fit a batch of the collecting sink.
        config.set(CollectSinkOperatorFactory.MAX_BATCH_SIZE, MemorySize.ofMebiBytes(64));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(config);
        Map<Integer, ChangeEvent> byId = new LinkedHashMap<>();
        try (CloseableIterator<ChangeEvent> it = env.fromSource(factory.createSource(ds, tables, List.of(), pipelineName, 1),
                WatermarkStrategy.noWatermarks(), "source", ChangeEventTypeInfo.INSTANCE).executeAndCollect()) {
            for (int i = 0; i < snapshotRows; i++) {
                add(byId, it);
            }
            changes.make();
            for (int i = 0; i < changedRows; i++) {
                add(byId, it);
            }
        } finally {
            factory.release(ds, pipelineName);
            FileUtils.deleteDirectoryQuietly(checkpoints.toFile());
        }
        return byId;
    }

    /** Adds the next row event; the event that says the change stream starts has no row. */
    private static void add(Map<Integer, ChangeEvent> byId, CloseableIterator<ChangeEvent> it) {
        ChangeEvent event = it.next();
        while (ChangeStreamStart.is(event)) {
            event = it.next();
        }
        byId.put((Integer) event.after().get("id"), event);
    }
}
