package io.tapflow.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.schema.TargetSchemaChanges;
import java.util.LinkedHashMap;
import java.util.stream.StreamSupport;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

/** The last gate of a lookup pipeline finds the sink barrier's coordinator by the operator id Flink gives its uid. */
class SinkTruncateWaitTest {
    @Test
    void theBarriersOperatorIdIsTheOneFlinkDerivesFromItsUid() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromSequence(1, 2).map(n -> n, Types.LONG).uid(SinkTruncateWait.BARRIER_UID).sinkTo(new DiscardingSink<>());
        var ids = StreamSupport.stream(env.getStreamGraph().getJobGraph().getVertices().spliterator(), false)
                .flatMap(v -> v.getOperatorIDs().stream()).map(OperatorIDPair::getGeneratedOperatorID).toList();
        assertThat(ids).contains(SinkTruncateWait.barrierOperatorId());
    }

    @Test
    void eachSinkSubtaskIsToldHowManyCopiesOfThePipelinesTruncateToMeet() {
        ChangeEvent source = new ChangeEvent(Op.TRUNCATE, "db.orders", new LinkedHashMap<>(), null, null, 9L);
        ChangeEvent truncate = TargetSchemaChanges.truncate(source, "orders_view");
        ChangeEvent copy = TargetSchemaChanges.copyFor(new SinkTruncateWait(2).sent(truncate), 1, "schema-change#2");
        assertThat(TargetSchemaChanges.senders(copy)).isEqualTo(2);
        assertThat(TargetSchemaChanges.id(copy)).isEqualTo(TargetSchemaChanges.id(truncate));
        assertThat(TargetSchemaChanges.senders(truncate)).as("sent by one subtask").isEqualTo(1);
        assertThat(new SinkTruncateWait(2).sent(source)).as("a looked-up table's TRUNCATE empties nothing").isSameAs(source);
    }
}
