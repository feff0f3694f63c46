package io.tapflow.flink.job;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.SchemaChangeRules;
import io.tapflow.dsl.Step;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.TopicSourceTables;
import io.tapflow.flink.metrics.SourceProgress;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Right after a source whose columns are fixed at planning but which reads TRUNCATEs (a Kafka topic's truncate
 * messages): reports them under the pipeline's schema-change policy as {@link SchemaChangeFollower} does for the
 * sources it follows ({@link TableEventReport}), passing an applicable one on towards the target; rows pass untouched.
 * It keeps the source tables each topic's rows named ({@link TopicSourceTables}) in checkpointed state, so a truncate
 * message of one source table of a union topic is not applied, also after a restore.
 */
final class TableEventFollower extends ProcessFunction<ChangeEvent, ChangeEvent> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private final SchemaChangeRules rules;
    private final DataSource target;
    private final List<Step> steps;
    private final Map<String, Set<String>> sharedTargets;
    private final Map<String, TargetEvolution> tables = new HashMap<>();
    private transient TableEventReport report;
    private transient TopicSourceTables sourceTables;
    private transient ListState<String> sourceTablesState;

    TableEventFollower(Pipeline pipeline, List<TableSchema> written, List<TargetTable> targets, DataSource target,
                       Map<String, Set<String>> sharedTargets) {
        this.rules = pipeline.settings().schemaChangeRules();
        this.target = target;
        this.steps = pipeline.steps();
        this.sharedTargets = Map.copyOf(sharedTargets);
        Map<String, TargetTable> bySource = TargetTable.bySourceTable(targets);
        written.forEach(s -> tables.put(s.qualifiedName(), new TargetEvolution(s, bySource.get(s.qualifiedName()))));
    }

    @Override
    public void open(OpenContext context) {
        report = new TableEventReport(rules, target, sharedTargets, steps,
                SourceProgress.MARKER + getRuntimeContext().getJobInfo().getJobId() + "] ");
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        // Union state: after a rescale a topic's partition may be read by any subtask.
        sourceTablesState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("topic-source-tables", Types.STRING));
        sourceTables = new TopicSourceTables();
        sourceTables.restore(sourceTablesState.get());
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        sourceTablesState.update(sourceTables.entries());
    }

    @Override
    public void processElement(ChangeEvent received, Context ctx, Collector<ChangeEvent> out) {
        if (!received.op().isTableEvent()) {
            out.collect(received);
            return;
        }
        ChangeEvent event = sourceTables.take(received);
        if (event == null) {
            return;
        }
        TargetEvolution table = tables.get(event.table());
        if (table == null) {
            report.reportLookedUp(event, out);
        } else {
            report.report(event, table, tables.values(), out);
        }
    }
}
