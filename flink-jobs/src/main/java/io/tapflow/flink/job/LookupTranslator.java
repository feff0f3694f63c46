package io.tapflow.flink.job;

import io.tapflow.dsl.Step;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.ChangeEventTypeInfo;
import io.tapflow.flink.event.RowLayouts;
import io.tapflow.flink.lookup.AfterTruncateSent;
import io.tapflow.flink.lookup.JoinTruncation;
import io.tapflow.flink.lookup.LookupGate;
import io.tapflow.flink.lookup.LookupJoin;
import io.tapflow.flink.lookup.LookupRecord;
import io.tapflow.flink.lookup.LookupRouter;
import io.tapflow.flink.lookup.LookupTableRows;
import io.tapflow.flink.lookup.RowStateTruncation;
import io.tapflow.flink.schema.TableSchema;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Builds the operators of the lookups of a job. Every looked-up table is read by the sources with the pipeline's own
 * tables; its rows are split off here and never reach the target on their own. Per lookup (uids under
 * {@code lookup/<id>}, nested ones under their lookup's): the looked-up rows through the lookup's own steps (nested
 * lookups included), a {@link LookupRouter} on each side (keyed by row), the {@link LookupJoin} (keyed by join key)
 * and the {@link LookupGate} (keyed by parent row) that restores each parent's order.
 */
final class LookupTranslator {
    private final JobPlan plan;
    private final DataStream<ChangeEvent> allRows;
    private final int parallelism;
    private final List<SingleOutputStreamOperator<ChangeEvent>> stepOperators;
    /** Every record crosses a task boundary after each operator of a lookup: in the plan's compact form. */
    private final RowLayouts layouts;
    /** Whether every source emits its snapshot rows before any change: lookup operators then store them unread. */
    private final boolean snapshotRowsFirst;

    /**
     * @param allRows       every source row, looked-up tables' included
     * @param stepOperators where the operators of looked-up rows' steps are added (their dead letters are collected)
     */
    LookupTranslator(JobPlan plan, DataStream<ChangeEvent> allRows, int parallelism,
                     List<SingleOutputStreamOperator<ChangeEvent>> stepOperators) {
        this.plan = plan;
        this.allRows = allRows;
        this.parallelism = parallelism;
        this.stepOperators = stepOperators;
        this.layouts = PlannedLayouts.of(plan);
        this.snapshotRowsFirst = snapshotRowsFirst(plan);
    }

    /**
     * Whether no snapshot row ({@code Op.READ}) can come after a change of its row: where every source of the job
     * starts its change stream only after its snapshot ({@code SourceFactory#streamsAfterCheckpointedSnapshot}); a
     * Kafka topic, for one, may hold a snapshot record of a row after its changes.
     */
    static boolean snapshotRowsFirst(JobPlan plan) {
        return Stream.concat(plan.sources().stream(), plan.lookupSources().stream())
                .allMatch(s -> ConnectorFactories.source(s.datasource().type()).streamsAfterCheckpointedSnapshot());
    }

    /** The rows of the pipeline's own tables; all rows when the pipeline looks nothing up. */
    static DataStream<ChangeEvent> pipelineRows(DataStream<ChangeEvent> allRows, JobPlan plan, int parallelism) {
        if (plan.lookupSources().isEmpty()) {
            return allRows;
        }
        Set<String> tables = plan.sources().stream().flatMap(s -> s.tables().tables().stream())
                .map(TableSchema::qualifiedName).collect(Collectors.toSet());
        return allRows.flatMap(new LookupTableRows(tables), allRows.getType()).uid("lookup/pipeline-rows")
                .name("pipeline rows").setParallelism(parallelism);
    }

    /**
     * The parents after the lookup: each enriched, in its own order.
     *
     * @param parentsKeyedByRow the parents come straight from another lookup's gate, which is keyed by row just like
     *                          this lookup's router: they are already where the router needs them, so no exchange
     *                          (and no serialization) is put between the two
     * @param afterSent         for the last lookup of the pipeline, what its gate does once it sent a TRUNCATE of
     *                          the pipeline's table on to the sink; null for the others
     */
    DataStream<ChangeEvent> translate(DataStream<ChangeEvent> parents, Step.Lookup lookup, String uidParent,
                                      boolean parentsKeyedByRow, AfterTruncateSent afterSent) {
        String uid = uidParent + "lookup/" + lookup.id();
        TableSchema table = LookupTables.schemaOf(plan.lookupSources(), lookup);
        DataStream<ChangeEvent> children = allRows.flatMap(new LookupTableRows(Set.of(table.qualifiedName())), allRows.getType())
                .uid(uid + "/rows").name(uid + " rows").setParallelism(parallelism);
        StepTranslator steps = new StepTranslator(plan.pipeline(), parallelism, uid + "/");
        boolean childrenKeyedByRow = false;
        for (Step step : lookup.steps()) {
            if (step instanceof Step.Lookup nested) {
                children = translate(children, nested, uid + "/", childrenKeyedByRow, null);
                childrenKeyedByRow = true;
            } else {
                SingleOutputStreamOperator<ChangeEvent> next = steps.translate(children, step);
                if (next != null) {
                    stepOperators.add(next);
                    children = next;
                    childrenKeyedByRow = false;
                }
            }
        }
        // With one subtask every key is at subtask 0 already: a forward edge instead of a keyed exchange lets an
        // operator chain to the one before it, and its records then cross no task boundary (no serialization).
        // Each operator runs in one that follows a TRUNCATE reaching it (RowStateTruncation, JoinTruncation).
        boolean oneSubtask = parallelism == 1;
        var parentRecords = byRow(parents, parentsKeyedByRow || oneSubtask)
                .transform(uid + " parents", LookupRecord.type(layouts), RowStateTruncation.router(
                        new LookupRouter(lookup.on().stream().map(Step.JoinField::parent).toList(), snapshotRowsFirst)))
                .uid(uid + "/parent-router").name(uid + " parents").setParallelism(parallelism);
        var childRecords = byRow(children, childrenKeyedByRow || oneSubtask)
                .transform(uid + " looked-up rows", LookupRecord.type(layouts), RowStateTruncation.router(
                        new LookupRouter(lookup.on().stream().map(Step.JoinField::child).toList(), snapshotRowsFirst)))
                .uid(uid + "/row-router").name(uid + " looked-up rows").setParallelism(parallelism);
        var joined = parentRecords.connect(childRecords)
                .keyBy(new LookupRecord.ByRoutingKey(), new LookupRecord.ByRoutingKey())
                .transform(uid + " join", LookupRecord.type(layouts), new JoinTruncation(
                        new LookupJoin(LookupTables.embedding(lookup, plan.lookupSources()), snapshotRowsFirst)))
                .uid(uid + "/join").name(uid + " join").setParallelism(parallelism);
        var joinedByRow = oneSubtask ? DataStreamUtils.reinterpretAsKeyedStream(joined, new LookupRecord.ByRoutingKey(), Types.STRING)
                : joined.keyBy(new LookupRecord.ByRoutingKey());
        return joinedByRow.transform(uid + " order", ChangeEventTypeInfo.of(layouts),
                        RowStateTruncation.gate(new LookupGate(snapshotRowsFirst), afterSent))
                .uid(uid + "/gate").name(uid + " order").setParallelism(parallelism);
    }

    private static KeyedStream<ChangeEvent, String> byRow(DataStream<ChangeEvent> rows, boolean alreadyKeyedByRow) {
        return alreadyKeyedByRow ? DataStreamUtils.reinterpretAsKeyedStream(rows, new LookupRecord.ByRow(), Types.STRING)
                : rows.keyBy(new LookupRecord.ByRow());
    }
}
