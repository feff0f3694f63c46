package io.tapflow.flink.job;

import io.tapflow.dsl.SchemaChangeKind;
import io.tapflow.dsl.SchemaChangePolicy;
import io.tapflow.dsl.SchemaChangeRules;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.connector.SinkFactory;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.event.SubtaskRouteKeys;
import io.tapflow.flink.schema.TargetSchemaChanges;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.flink.runtime.operators.coordination.CoordinationResponse;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.SerializedValue;

/**
 * Right in front of each parallel sink subtask (chained to it): makes a target column's drop or rename, and the
 * emptying of a target table for a source table's TRUNCATE, wait for the rows before it in every sink subtask. The change reaches each subtask as its own copy, behind that subtask's rows
 * before it (the copies leave the one task that follows the table's change stream together, and Flink keeps each
 * channel's order). A subtask that meets its copy has its sink write what it holds, tells the
 * {@link SchemaChangeCoordinator}, and waits: the coordinator makes the change once every subtask has written, then
 * lets them all go on with the rows of the new shape. (Flink CDC's SchemaOperator and SchemaRegistry work this way.)
 * A TRUNCATE that the sink writes itself (Kafka's truncate messages) then goes to the sink too, which writes this
 * subtask's share of it, and the subtasks wait a second time, until every one has written its share.
 */
final class SchemaChangeBarrier extends AbstractStreamOperator<ChangeEvent> implements OneInputStreamOperator<ChangeEvent, ChangeEvent> {
    private static final long serialVersionUID = 1L;

    /** Whether the sink writes a TRUNCATE itself (Kafka's truncate messages) rather than the coordinator emptying the table. */
    private final boolean sinkWritesTruncate;
    /** Per change sent by several subtasks: how many of its copies this subtask met. */
    private transient Map<String, Integer> copiesMet;

    SchemaChangeBarrier(boolean sinkWritesTruncate) {
        this.sinkWritesTruncate = sinkWritesTruncate;
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    @Override
    public void open() throws Exception {
        super.open();
        // The sink must write what it holds while the copy is handed to it, not later in another task.
        if (getOperatorConfig().getChainedOutputs(getUserCodeClassloader()).isEmpty()) {
            throw new IllegalStateException("the schema-change barrier must be chained to the sink; operator chaining is off");
        }
        copiesMet = new HashMap<>();
    }

    @Override
    public void processElement(StreamRecord<ChangeEvent> element) throws Exception {
        ChangeEvent event = element.getValue();
        if (!TargetSchemaChanges.inOrder(event)) {
            output.collect(element);
            return;
        }
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        if (TargetSchemaChanges.subtask(event) != subtask) {
            throw new IllegalStateException("the copy of a schema change for sink subtask " + TargetSchemaChanges.subtask(event)
                    + " reached subtask " + subtask + ": the operators before and after the keyed exchange differ in "
                    + "maximum parallelism");
        }
        if (!metEveryCopy(event)) {
            return;
        }
        output.collect(element.replace(TargetSchemaChanges.flushOnly(event)));
        SchemaChangeCoordinator.Flushed flushed = new SchemaChangeCoordinator.Flushed(TargetSchemaChanges.id(event), subtask,
                event.table(), TargetSchemaChanges.targetTable(event), TargetSchemaChanges.of(event),
                TargetSchemaChanges.truncateScope(event), false);
        ask(event, flushed);
        if (sinkWritesTruncate && event.op() == Op.TRUNCATE) {
            // Every subtask has written the rows before it: each writes its share of the TRUNCATE's messages, and
            // goes on once all have, so no row after it reaches a partition ahead of that partition's message.
            output.collect(element.replace(event));
            ask(event, new SchemaChangeCoordinator.Flushed(flushed.id(), subtask, flushed.sourceTable(),
                    flushed.targetTable(), null, flushed.scope(), true));
        }
    }

    /** Tells the coordinator this subtask's part is done and waits until every subtask's is. */
    private void ask(ChangeEvent event, SchemaChangeCoordinator.Flushed flushed) throws Exception {
        CoordinationResponse response;
        try {
            response = getContainingTask().getEnvironment().getOperatorCoordinatorEventGateway()
                    .sendRequestToCoordinator(getOperatorID(), new SerializedValue<>(flushed)).get();
        } catch (ExecutionException e) {
            throw new TapflowException("schema change on " + event.table() + ": " + flushed.describe()
                    + " was not made in target table " + flushed.targetTable() + ": " + e.getCause().getMessage(), e);
        }
        String failure = SchemaChangeCoordinator.failure(response);
        if (failure != null) {
            throw new TapflowException(failure);
        }
    }

    /**
     * Whether this subtask has met every copy of the change: a TRUNCATE that left a pipeline's lookups comes from each
     * of their last subtasks, behind its rows ({@link TargetSchemaChanges#senders}); those send nothing after it
     * until the target is emptied ({@code SinkTruncateWait}).
     */
    private boolean metEveryCopy(ChangeEvent event) {
        int senders = TargetSchemaChanges.senders(event);
        if (senders == 1) {
            return true;
        }
        int met = copiesMet.merge(TargetSchemaChanges.id(event), 1, Integer::sum);
        if (met < senders) {
            return false;
        }
        copiesMet.remove(TargetSchemaChanges.id(event));
        return true;
    }

    /**
     * Whether a parallel sink into this target needs the barrier: it drops and renames columns in order with the
     * rows, or empties tables for a TRUNCATE or writes one (which only the policy evolve lets through).
     */
    static boolean needed(SinkFactory sink, SchemaChangeRules rules) {
        return sink.altersInOrder() || (sink.appliesTruncate() || sink.writesTruncate()) && rules.policyFor(SchemaChangeKind.TRUNCATE) == SchemaChangePolicy.EVOLVE;
    }

    /** For each subtask index of an operator after a keyed exchange, a String key that the exchange sends to it. */
    static String[] routeKeys(int maxParallelism, int parallelism) {
        return SubtaskRouteKeys.of(maxParallelism, parallelism);
    }
}
