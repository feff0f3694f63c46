package io.tapflow.flink.job;

import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.lookup.AfterTruncateSent;
import io.tapflow.flink.schema.TargetSchemaChanges;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.jobgraph.tasks.TaskOperatorEventGateway;
import org.apache.flink.runtime.operators.coordination.CoordinationResponse;
import org.apache.flink.shaded.guava31.com.google.common.hash.Hashing;
import org.apache.flink.util.SerializedValue;

/**
 * At parallelism &gt; 1, the last gate of a pipeline's lookups waits, once it sent a TRUNCATE of the pipeline's
 * table on, until the {@link SchemaChangeCoordinator} emptied the target. Each gate subtask sends the TRUNCATE behind
 * its documents from before it, and each sink subtask waits for all their copies ({@link SchemaChangeBarrier}); a
 * gate that sent documents from after it meanwhile would have them written, on another channel, before the target
 * is emptied. Waiting is what keeps them behind (as a checkpoint barrier's alignment would, which an operator cannot
 * do on its input channels).
 */
final class SinkTruncateWait implements AfterTruncateSent {
    private static final long serialVersionUID = 1L;
    /** The uid of the barrier in front of the sink, whose coordinator empties the target. */
    static final String BARRIER_UID = "schema-change-barrier";
    private final int senders;

    /** @param senders the parallelism of the gate, each subtask of which sends the TRUNCATE */
    SinkTruncateWait(int senders) {
        this.senders = senders;
    }

    @Override
    public ChangeEvent sent(ChangeEvent truncate) {
        return emptiesTarget(truncate) ? TargetSchemaChanges.sentBy(truncate, senders) : truncate;
    }

    @Override
    public void await(ChangeEvent truncate, TaskOperatorEventGateway coordinators) throws Exception {
        if (!emptiesTarget(truncate)) {
            return;
        }
        String id = TargetSchemaChanges.id(truncate);
        CoordinationResponse response;
        try {
            response = coordinators.sendRequestToCoordinator(barrierOperatorId(),
                    new SerializedValue<>(new SchemaChangeCoordinator.TruncateSent(id))).get();
        } catch (ExecutionException e) {
            throw new TapflowException("schema change on " + truncate.table() + ": TRUNCATE was not made in target table "
                    + TargetSchemaChanges.targetTable(truncate) + ": " + e.getCause().getMessage(), e);
        }
        String failure = SchemaChangeCoordinator.failure(response);
        if (failure != null) {
            throw new TapflowException(failure);
        }
    }

    /** Whether the TRUNCATE is the pipeline's table's, on its way to empty the target (not a looked-up table's). */
    private static boolean emptiesTarget(ChangeEvent truncate) {
        return TargetSchemaChanges.id(truncate) != null;
    }

    /** The barrier's operator id: what Flink derives from its uid (StreamGraphHasherV2, murmur3_128 of the uid). */
    static OperatorID barrierOperatorId() {
        return new OperatorID(Hashing.murmur3_128(0).newHasher().putString(BARRIER_UID, StandardCharsets.UTF_8).hash().asBytes());
    }
}
