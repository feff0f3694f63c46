package io.tapflow.flink.verify;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DefinitionJson;
import io.tapflow.flink.connector.SourceTables;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.metrics.TapflowMetrics;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.RowKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running job verifying itself ({@code verify.sample-per-second}): beside the sink, on the stream the sink gets,
 * it picks up to that many changed keys per second, and once the checkpoint whose barrier followed them has completed
 * (so the sink has flushed them), {@link SampleChecks} re-reads each key from source and target on a thread of its
 * own, so the job's records never wait for it. Results go to {@code tapflow.verify.checked|mismatched}. Emits nothing;
 * keeps no state (samples not yet checked when the job restarts are dropped).
 */
public final class VerifySampler extends RichFlatMapFunction<ChangeEvent, Void> implements CheckpointedFunction, CheckpointListener {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(VerifySampler.class);
    /** Seconds of samples the checking thread may fall behind before sampling pauses. */
    private static final int BACKLOG_SECONDS = 60;

    private final String pipelineJson;
    private final ArrayList<DataSource> sourceDataSources = new ArrayList<>();
    private final ArrayList<SourceTables> sourceTables = new ArrayList<>();
    private final DataSource target;
    private final ArrayList<TargetTable> targetTables;
    private final int perSecond;

    private transient Map<String, TargetTable> bySourceTable;
    private transient Map<SampleChecks.Id, Map<String, Object>> sinceBarrier;
    private transient NavigableMap<Long, Batch> byCheckpoint;
    private transient long second;
    private transient int takenThisSecond;
    private transient int perSubtaskPerSecond;
    private transient volatile long events;
    private transient long position;
    private transient SampleChecks.StreamMark previousMark;
    private transient AtomicInteger backlog;
    private transient ExecutorService worker;
    private transient Counter checked;
    private transient Counter mismatched;
    /** Made on the worker thread, the only one that uses it (guest code contexts are single-threaded). */
    private transient SampleChecks checks;

    /** @param perSecond keys per second for the whole job (split over its subtasks) */
    public VerifySampler(JobPlan plan, int perSecond) {
        this.pipelineJson = DefinitionJson.toJson(plan.pipeline());
        plan.sources().forEach(s -> {
            sourceDataSources.add(s.datasource());
            sourceTables.add(s.tables());
        });
        this.target = plan.target();
        this.targetTables = new ArrayList<>(plan.targetTables());
        this.perSecond = perSecond;
    }

    /** Keys sampled between two barriers, and what the stream had brought at the earlier one. */
    private record Batch(Map<SampleChecks.Id, Map<String, Object>> keys, SampleChecks.StreamMark mark) {}

    @Override
    public void open(OpenContext context) {
        bySourceTable = TargetTable.bySourceTable(targetTables);
        sinceBarrier = new LinkedHashMap<>();
        byCheckpoint = new TreeMap<>();
        int subtasks = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        perSubtaskPerSecond = Math.max(1, (perSecond + subtasks - 1) / subtasks);
        position = Long.MIN_VALUE;
        previousMark = new SampleChecks.StreamMark(Long.MIN_VALUE, Long.MIN_VALUE, 0);
        backlog = new AtomicInteger();
        TapflowMetrics metrics = new TapflowMetrics(getRuntimeContext().getMetricGroup());
        checked = metrics.verifyChecked();
        mismatched = metrics.verifyMismatched();
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tapflow verify sampler " + getRuntimeContext().getTaskInfo().getTaskNameWithSubtasks());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void flatMap(ChangeEvent event, Collector<Void> out) {
        events++;
        if (event.op() != Op.READ) {
            position = Math.max(position, event.sourceTsMs());
        }
        long now = System.currentTimeMillis() / 1000;
        if (now != second) {
            second = now;
            takenThisSecond = 0;
        }
        if (takenThisSecond >= perSubtaskPerSecond || backlog.get() > perSubtaskPerSecond * BACKLOG_SECONDS) {
            return;
        }
        TargetTable table = bySourceTable.get(event.table());
        Map<String, Object> row = event.latestRow();
        if (table == null || row == null || table.keyFields().stream().anyMatch(k -> row.get(k) == null)) {
            return;
        }
        // The job reuses event objects: keep copies of the key values, not the row.
        Map<String, Object> keyValues = new LinkedHashMap<>();
        table.keyFields().forEach(k -> keyValues.put(k, row.get(k)));
        if (sinceBarrier.putIfAbsent(new SampleChecks.Id(table.name(), RowKey.of(table.keyFields(), keyValues, table.name())),
                keyValues) == null) {
            takenThisSecond++;
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        byCheckpoint.put(context.getCheckpointId(), new Batch(sinceBarrier, previousMark));
        backlog.addAndGet(sinceBarrier.size());
        sinceBarrier = new LinkedHashMap<>();
        previousMark = new SampleChecks.StreamMark(System.currentTimeMillis(), position, events);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        // No state: samples are a spot check, not something a restore must bring back.
    }

    /**
     * The sink flushed everything before this checkpoint's barrier: the keys sampled before it can be checked. The
     * stream mark handed on is the one of the barrier before, which every sink subtask has flushed too, whatever
     * order records from several channels took (checkpoints are at-least-once, not aligned).
     */
    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        NavigableMap<Long, Batch> due = byCheckpoint.headMap(checkpointId, true);
        Map<SampleChecks.Id, Map<String, Object>> keys = new LinkedHashMap<>();
        SampleChecks.StreamMark mark = previousMark;
        for (Batch b : due.values()) {
            keys.putAll(b.keys());
            mark = b.mark();
        }
        due.clear();
        SampleChecks.StreamMark flushed = mark;
        worker.execute(() -> round(keys, flushed));
    }

    private void round(Map<SampleChecks.Id, Map<String, Object>> keys, SampleChecks.StreamMark mark) {
        try {
            if (checks == null) {
                checks = new SampleChecks(VerifyTables.open(plan(), VerifyOptions.rows()), checked, mismatched,
                        System::currentTimeMillis, () -> events);
            }
            checks.round(keys, mark);
        } catch (RuntimeException e) {
            // A spot check must not fail the job: an unreachable source or target is said, and tried again next round.
            LOG.warn("verify sampling could not check {} key(s): {}", keys.size(), e.getMessage());
        } finally {
            backlog.addAndGet(-keys.size());
        }
    }

    private JobPlan plan() {
        List<JobPlan.Source> sources = new ArrayList<>();
        for (int i = 0; i < sourceDataSources.size(); i++) {
            sources.add(new JobPlan.Source(sourceDataSources.get(i), sourceTables.get(i)));
        }
        return new JobPlan(DefinitionJson.pipeline(pipelineJson, "the job's pipeline"), sources, target, targetTables,
                List.of(), null);
    }

    @Override
    public void close() throws Exception {
        if (worker == null) {
            return;
        }
        worker.execute(() -> {
            if (checks != null) {
                checks.close();
            }
        });
        worker.shutdown();
        if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
            worker.shutdownNow();
        }
    }
}
