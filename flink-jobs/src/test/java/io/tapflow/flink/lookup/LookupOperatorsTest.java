package io.tapflow.flink.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.tapflow.flink.event.ChangeEventTypeInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * The three operators of a lookup, each on Flink's test harness, for the orderings a running job produces only by
 * chance: a stale picture of a parent reaching the gate after a newer one, a join key moving, a child before its parent.
 */
class LookupOperatorsTest {

    @Test
    void theRouterRetractsAtTheOldJoinKeyAndDeletesWhereTheRowIs() throws Exception {
        try (var router = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new LookupRouter(List.of("customer_id"), false)),
                new LookupRecord.ByRow(), Types.STRING)) {
            router.open();
            router.processElement(new StreamRecord<>(order(Op.INSERT, 1, 7)));
            router.processElement(new StreamRecord<>(order(Op.UPDATE, 1, 8)));
            router.processElement(new StreamRecord<>(order(Op.UPDATE, 1, null)));
            // A delete without a before image still reaches the join key where the row is (none here: it had NULL).
            router.processElement(new StreamRecord<>(new ChangeEvent(Op.DELETE, "shop.orders", key(1), null, null, 1)));
            router.processElement(new StreamRecord<>(order(Op.INSERT, 1, 7)));
            assertThat(router.extractOutputValues()).extracting(r -> r.f0 + " v" + r.f1 + " " + r.f2.replace("\u0001", ""))
                    .containsExactly("3 v1 7", "1 v2 7", "4 v2 8", "1 v3 8", "4 v3 \u0000null", "2 v4 \u0000null", "3 v5 7");
        }
    }

    @Test
    void theRouterForgetsADeletedRowAfterAWhileAndItsNextLifeStillPassesTheGate() throws Exception {
        try (var router = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new LookupRouter(List.of("customer_id"), false)),
                new LookupRecord.ByRow(), Types.STRING); var gate = gate()) {
            router.open();
            router.setProcessingTime(1_000);
            router.processElement(new StreamRecord<>(order(Op.INSERT, 1, 7)));
            router.processElement(new StreamRecord<>(order(Op.UPDATE, 1, 8)));
            router.processElement(new StreamRecord<>(order(Op.INSERT, 2, 7)));
            router.processElement(new StreamRecord<>(new ChangeEvent(Op.DELETE, "shop.orders", key(1), null, null, 1)));
            assertThat(router.numKeyedStateEntries()).as("a tombstone while stale pictures may come").isEqualTo(2);
            router.setProcessingTime(1_000 + LookupRouter.TOMBSTONE_MS);
            assertThat(router.numKeyedStateEntries()).as("the deleted row is forgotten, the live one kept").isEqualTo(1);
            router.processElement(new StreamRecord<>(order(Op.INSERT, 1, 9)));
            List<Tuple4<Byte, Long, String, ChangeEvent>> records = router.extractOutputValues();
            long firstLife = LookupRouter.firstVersion(1_000);
            long secondLife = LookupRouter.firstVersion(1_000 + LookupRouter.TOMBSTONE_MS);
            assertThat(records).extracting(r -> r.f0 + " v" + r.f1 + " " + r.f2.replace("\u0001", "")).containsExactly(
                    "3 v" + firstLife + " 7", "1 v" + (firstLife + 1) + " 7", "4 v" + (firstLife + 1) + " 8",
                    "3 v" + firstLife + " 7", "2 v" + (firstLife + 2) + " 8", "3 v" + secondLife + " 9");
            // At the gate (records routed by parent row, as the join sends them) the first life is still held, its
            // move to 8 unsettled as the retract at 7 comes late: the new life passes, late pictures of the old do not.
            for (int i : new int[] {0, 2, 4, 5, 0, 1}) {
                var r = records.get(i);
                byte kind = i == 0 && gate.extractOutputValues().size() > 0 ? LookupRecord.UPSERT : r.f0;
                gate.processElement(new StreamRecord<>(LookupRecord.of(kind, r.f1, JoinKeys.rowKey(r.f3), r.f3)));
            }
            assertThat(gate.extractOutputValues()).extracting(e -> e.op() + " " + (e.after() == null ? "" : e.after().get("customer_id")))
                    .containsExactly("INSERT 7", "UPDATE 8", "DELETE ", "INSERT 9");
        }
    }

    @Test
    void whereSnapshotRowsComeFirstTheRouterAndGateStoreThemUnreadAndChangesFollowOn() throws Exception {
        try (var router = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new LookupRouter(List.of("customer_id"), true)),
                new LookupRecord.ByRow(), Types.STRING); var gate = gate(true)) {
            router.open();
            router.setProcessingTime(1_000);
            router.processElement(new StreamRecord<>(order(Op.READ, 1, 7)));
            // Read again after a restore (at-least-once): not looked up, so a new life at a later clock version.
            router.setProcessingTime(2_000);
            router.processElement(new StreamRecord<>(order(Op.READ, 1, 7)));
            router.processElement(new StreamRecord<>(order(Op.UPDATE, 1, 8)));
            long first = LookupRouter.firstVersion(1_000);
            long again = LookupRouter.firstVersion(2_000);
            List<Tuple4<Byte, Long, String, ChangeEvent>> records = router.extractOutputValues();
            assertThat(records).extracting(r -> r.f0 + " v" + r.f1 + " " + r.f2.replace("\u0001", "")).containsExactly(
                    "3 v" + first + " 7", "3 v" + again + " 7", "1 v" + (again + 1) + " 7", "4 v" + (again + 1) + " 8");
            // The gate lets a snapshot picture pass and keeps nothing for it; the pictures after it are ordered as ever.
            gate.processElement(new StreamRecord<>(LookupRecord.of(records.get(1).f0, again, "o1", records.get(1).f3)));
            assertThat(gate.numKeyedStateEntries()).isZero();
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.UPSERT, again, "o1", order(Op.UPDATE, 1, 7))));
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.MOVE_IN, again + 1, "o1", records.get(3).f3)));
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.UPSERT, again, "o1", order(Op.UPDATE, 1, 7))));
            assertThat(gate.extractOutputValues()).extracting(e -> e.op() + " " + e.latestRow().get("customer_id"))
                    .containsExactly("READ 7", "UPDATE 7", "UPDATE 8");
        }
    }

    @Test
    void theGateDropsAnOlderPictureOfAParentAndKeepsATombstoneUntilTheMoveIsSettled() throws Exception {
        try (var gate = gate()) {
            // The parent moved from join key A (version 1) to B (version 2); A re-emits version 1 after B's version 2,
            // then passes on the retract that ends its pictures of the row.
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.MOVE_IN, 2, "o1", order(Op.UPDATE, 1, 8))));
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.UPSERT, 1, "o1", order(Op.UPDATE, 1, 7))));
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.UPSERT, 2, "o1", order(Op.UPDATE, 1, 8))));
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.DELETE, 3, "o1", order(Op.DELETE, 1, 8))));
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.UPSERT, 1, "o1", order(Op.UPDATE, 1, 7))));
            assertThat(gate.numKeyedStateEntries()).as("a tombstone while A may still send pictures").isEqualTo(1);
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.RETRACT, 2, "o1", order(Op.UPDATE, 1, 8))));
            assertThat(gate.numKeyedStateEntries()).as("the deleted row, once settled, holds no state").isZero();
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.INSERT, 4, "o1", order(Op.INSERT, 1, 9))));
            assertThat(gate.extractOutputValues()).extracting(e -> e.op() + " " + e.latestRow().get("customer_id"))
                    .containsExactly("UPDATE 8", "UPDATE 8", "DELETE 8", "INSERT 9");
        }
    }

    @Test
    void theGateForgetsADeletedParentThatNeverMovedAndAReplayedRetractSettlesNoOtherMove() throws Exception {
        try (var gate = gate()) {
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.INSERT, 1, "o1", order(Op.INSERT, 1, 7))));
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.DELETE, 2, "o1", order(Op.DELETE, 1, 7))));
            assertThat(gate.numKeyedStateEntries()).isZero();
            // o2 moves twice (versions 2 and 3); the retract of version 2 comes twice (replayed after a restore).
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.INSERT, 1, "o2", order(Op.INSERT, 2, 7))));
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.MOVE_IN, 2, "o2", order(Op.UPDATE, 2, 8))));
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.MOVE_IN, 3, "o2", order(Op.UPDATE, 2, 9))));
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.RETRACT, 2, "o2", order(Op.UPDATE, 2, 8))));
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.RETRACT, 2, "o2", order(Op.UPDATE, 2, 8))));
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.DELETE, 4, "o2", order(Op.DELETE, 2, 9))));
            assertThat(gate.numKeyedStateEntries()).as("the move of version 3 is not settled").isEqualTo(1);
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.UPSERT, 2, "o2", order(Op.UPDATE, 2, 8))));
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.RETRACT, 3, "o2", order(Op.UPDATE, 2, 9))));
            assertThat(gate.numKeyedStateEntries()).as("the replayed retract is taken for one still to be matched: the "
                    + "tombstone stays rather than risk a stale picture").isEqualTo(1);
            assertThat(gate.extractOutputValues()).extracting(e -> e.op() + " " + e.latestRow().get("id"))
                    .containsExactly("INSERT 1", "DELETE 1", "INSERT 2", "UPDATE 2", "UPDATE 2", "DELETE 2");
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Tuple4<Byte, Long, String, ChangeEvent>, ChangeEvent> gate()
            throws Exception {
        return gate(false);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Tuple4<Byte, Long, String, ChangeEvent>, ChangeEvent> gate(
            boolean snapshotRowsFirst) throws Exception {
        var gate = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new LookupGate(snapshotRowsFirst)),
                new LookupRecord.ByRoutingKey(), Types.STRING);
        gate.open();
        return gate;
    }

    @Test
    void theJoinEmbedsChildrenInArrayKeyOrderFansOutOncePerBatchAndForgetsRetractedParents() throws Exception {
        Embedding items = new Embedding("items", true, List.of("item_id"), null, List.of());
        try (var join = join(items, false)) {
            join.open();
            join.setProcessingTime(0);
            // Children before their parent wait for it.
            join.processElement2(new StreamRecord<>(LookupRecord.of(LookupRecord.INSERT, 1, "k1", item(Op.READ, 30, 1))));
            join.processElement2(new StreamRecord<>(LookupRecord.of(LookupRecord.INSERT, 1, "k1", item(Op.READ, 4, 1))));
            join.processElement1(new StreamRecord<>(LookupRecord.of(LookupRecord.INSERT, 1, "k1", order(Op.READ, 1, 1))));
            join.processElement1(new StreamRecord<>(LookupRecord.of(LookupRecord.INSERT, 1, "k1", order(Op.READ, 2, 1))));
            assertThat(emitted(join)).containsExactly("v1 order 1 READ items [4, 30]", "v1 order 2 READ items [4, 30]");
            // One child's change re-emits both parents, at the end of the batch.
            join.processElement2(new StreamRecord<>(LookupRecord.of(LookupRecord.DELETE, 2, "k1", item(Op.DELETE, 30, 1))));
            assertThat(emitted(join)).isEmpty();
            join.setProcessingTime(LookupJoin.BATCH_MS);
            // The parents of one join key come in no defined order.
            assertThat(emitted(join)).containsExactlyInAnyOrder("v1 order 1 UPDATE items [4]", "v1 order 2 UPDATE items [4]");
            // A retracted parent is forgotten (the gate gets the retract); two changes in one batch: one emission.
            join.processElement1(new StreamRecord<>(LookupRecord.of(LookupRecord.RETRACT, 2, "k1", order(Op.UPDATE, 2, 5))));
            assertThat(join.extractOutputValues()).extracting(r -> r.f0).containsExactly(LookupRecord.RETRACT);
            join.getOutput().clear();
            join.processElement2(new StreamRecord<>(LookupRecord.of(LookupRecord.INSERT, 1, "k1", item(Op.INSERT, 20, 1))));
            join.processElement2(new StreamRecord<>(LookupRecord.of(LookupRecord.UPSERT, 2, "k1", item(Op.UPDATE, 4, 1))));
            join.setProcessingTime(2 * LookupJoin.BATCH_MS);
            assertThat(emitted(join)).containsExactly("v1 order 1 UPDATE items [4, 20]");
        }
    }

    @Test
    void whereSnapshotRowsComeFirstTheJoinCountsParentsOnlyWhenALookedUpRowChangesAndItsStateRestoresSo() throws Exception {
        Embedding items = new Embedding("items", true, List.of("item_id"), null, List.of());
        OperatorSubtaskState state;
        try (var join = join(items, true)) {
            join.open();
            join.setProcessingTime(0);
            // Parallel snapshot readers: a looked-up row between two parents of its key. It counts one parent; the
            // second parent leaves the count not known rather than reading and raising it.
            join.processElement1(new StreamRecord<>(LookupRecord.of(LookupRecord.INSERT, 1, "k1", order(Op.READ, 1, 1))));
            join.processElement2(new StreamRecord<>(LookupRecord.of(LookupRecord.INSERT, 1, "k1", item(Op.READ, 4, 1))));
            join.processElement1(new StreamRecord<>(LookupRecord.of(LookupRecord.INSERT, 1, "k1", order(Op.READ, 2, 1))));
            assertThat(emitted(join)).containsExactly("v1 order 1 READ items []", "v1 order 2 READ items [4]");
            state = join.snapshot(1, 1);
        }
        // Restored by a job whose sources no longer promise snapshot rows first: the state says counts may be missing.
        try (var join = join(items, false)) {
            join.initializeState(state);
            join.open();
            join.setProcessingTime(LookupJoin.BATCH_MS);
            assertThat(emitted(join)).as("the batch of the looked-up row re-emits both parents")
                    .containsExactlyInAnyOrder("v1 order 1 UPDATE items [4]", "v1 order 2 UPDATE items [4]");
            join.processElement1(new StreamRecord<>(LookupRecord.of(LookupRecord.DELETE, 2, "k1", order(Op.DELETE, 1, 1))));
            join.processElement2(new StreamRecord<>(LookupRecord.of(LookupRecord.INSERT, 1, "k1", item(Op.INSERT, 20, 1))));
            join.getOutput().clear();
            join.setProcessingTime(2 * LookupJoin.BATCH_MS);
            assertThat(emitted(join)).containsExactly("v1 order 2 UPDATE items [4, 20]");
        }
    }

    @Test
    void aCountStoredForAHotJoinKeyDuringTheSnapshotIsDroppedByTheParentsThatCameAfterIt() throws Exception {
        Embedding items = new Embedding("items", true, List.of("item_id"), null, List.of());
        try (var join = join(items, true)) {
            join.open();
            join.setProcessingTime(0);
            for (int order = 1; order <= 9; order++) {
                join.processElement1(new StreamRecord<>(LookupRecord.of(LookupRecord.INSERT, 1, "k1", order(Op.READ, order, 1))));
            }
            // Nine parents are more than are counted again each time: this count is stored...
            join.processElement2(new StreamRecord<>(LookupRecord.of(LookupRecord.INSERT, 1, "k1", item(Op.READ, 4, 1))));
            // ...so the tenth parent's snapshot row must drop it, or the count stays at nine.
            join.processElement1(new StreamRecord<>(LookupRecord.of(LookupRecord.INSERT, 1, "k1", order(Op.READ, 10, 1))));
            join.setProcessingTime(LookupJoin.BATCH_MS);
            join.getOutput().clear();
            for (int order = 1; order <= 9; order++) {
                join.processElement1(new StreamRecord<>(LookupRecord.of(LookupRecord.DELETE, 2, "k1", order(Op.DELETE, order, 1))));
            }
            join.getOutput().clear();
            join.processElement2(new StreamRecord<>(LookupRecord.of(LookupRecord.INSERT, 1, "k1", item(Op.INSERT, 20, 1))));
            join.setProcessingTime(2 * LookupJoin.BATCH_MS);
            assertThat(emitted(join)).as("the parent left after nine deletes, as the count of ten says")
                    .containsExactly("v1 order 10 UPDATE items [4, 20]");
        }
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, Tuple4<Byte, Long, String, ChangeEvent>,
            Tuple4<Byte, Long, String, ChangeEvent>, Tuple4<Byte, Long, String, ChangeEvent>> join(
            Embedding embedding, boolean snapshotRowsFirst) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new LookupJoin(embedding, snapshotRowsFirst)),
                new LookupRecord.ByRoutingKey(), new LookupRecord.ByRoutingKey(), Types.STRING);
    }

    private static List<String> emitted(KeyedTwoInputStreamOperatorTestHarness<String, Tuple4<Byte, Long, String, ChangeEvent>,
            Tuple4<Byte, Long, String, ChangeEvent>, Tuple4<Byte, Long, String, ChangeEvent>> join) {
        List<String> out = join.extractOutputValues().stream().map(LookupOperatorsTest::describe).toList();
        join.getOutput().clear();
        return out;
    }

    @Test
    void stateWrittenInTheFormerLayoutRestores() throws Exception {
        OperatorSubtaskState joinState;
        try (var former = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new Format1Join()),
                new LookupRecord.ByRoutingKey(), new LookupRecord.ByRoutingKey(), Types.STRING)) {
            former.open();
            former.processElement1(new StreamRecord<>(LookupRecord.of(LookupRecord.UPSERT, 1, "k1", order(Op.READ, 1, 1))));
            former.processElement2(new StreamRecord<>(LookupRecord.of(LookupRecord.UPSERT, 1, "k1", item(Op.READ, 4, 1))));
            joinState = former.snapshot(1, 1);
        }
        Embedding items = new Embedding("items", true, List.of("item_id"), null, List.of());
        try (var join = join(items, false)) {
            join.initializeState(joinState);
            join.open();
            // The restored key has no parent count: counted from the parents there, so the new item reaches order 1.
            join.setProcessingTime(0);
            join.processElement2(new StreamRecord<>(LookupRecord.of(LookupRecord.INSERT, 1, "k1", item(Op.INSERT, 20, 1))));
            join.setProcessingTime(LookupJoin.BATCH_MS);
            assertThat(emitted(join)).containsExactly("v1 order 1 UPDATE items [4, 20]");
        }
        OperatorSubtaskState gateState;
        try (var former = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new Format1Gate()),
                new LookupRecord.ByRoutingKey(), Types.STRING)) {
            former.open();
            former.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.UPSERT, 5, "o1", order(Op.UPDATE, 1, 8))));
            gateState = former.snapshot(1, 1);
        }
        try (var gate = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new LookupGate(false)),
                new LookupRecord.ByRoutingKey(), Types.STRING)) {
            gate.initializeState(gateState);
            gate.open();
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.UPSERT, 4, "o1", order(Op.UPDATE, 1, 7))));
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.UPSERT, 5, "o1", order(Op.UPDATE, 1, 8))));
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.DELETE, 6, "o1", order(Op.DELETE, 1, 8))));
            gate.processElement(new StreamRecord<>(LookupRecord.of(LookupRecord.UPSERT, 5, "o1", order(Op.UPDATE, 1, 8))));
            assertThat(gate.extractOutputValues()).extracting(e -> e.op() + " " + e.latestRow().get("customer_id"))
                    .containsExactly("UPDATE 8", "DELETE 8");
            assertThat(gate.numKeyedStateEntries()).as("a restored row's moves are unknown: its tombstone stays").isEqualTo(1);
        }
    }

    /** Writes the join's keyed state as format 1 did: parents and looked-up rows, no parent count. */
    private static final class Format1Join extends KeyedCoProcessFunction<String, Tuple4<Byte, Long, String, ChangeEvent>,
            Tuple4<Byte, Long, String, ChangeEvent>, Void> {
        private transient MapState<String, Tuple2<Long, ChangeEvent>> parents;
        private transient MapState<String, ChangeEvent> children;

        @Override
        public void open(OpenContext context) {
            parents = getRuntimeContext().getMapState(new MapStateDescriptor<>("parents", Types.STRING,
                    new TupleTypeInfo<>(Types.LONG, ChangeEventTypeInfo.INSTANCE)));
            children = getRuntimeContext().getMapState(new MapStateDescriptor<>("children", Types.STRING, ChangeEventTypeInfo.INSTANCE));
        }

        @Override
        public void processElement1(Tuple4<Byte, Long, String, ChangeEvent> parent, Context ctx, Collector<Void> out) throws Exception {
            parents.put(JoinKeys.rowKey(parent.f3), Tuple2.of(parent.f1, parent.f3));
        }

        @Override
        public void processElement2(Tuple4<Byte, Long, String, ChangeEvent> child, Context ctx, Collector<Void> out) throws Exception {
            children.put(JoinKeys.rowKey(child.f3), child.f3);
        }
    }

    /** Writes the gate's keyed state as format 1 did: the last version let through. */
    private static final class Format1Gate extends KeyedProcessFunction<String, Tuple4<Byte, Long, String, ChangeEvent>, Void> {
        @Override
        public void processElement(Tuple4<Byte, Long, String, ChangeEvent> record, Context ctx, Collector<Void> out) throws Exception {
            getRuntimeContext().getState(new ValueStateDescriptor<>("last-version", Types.LONG)).update(record.f1);
        }
    }

    private static String describe(Tuple4<Byte, Long, String, ChangeEvent> r) {
        List<?> items = (List<?>) r.f3.after().get("items");
        return "v" + r.f1 + " order " + r.f3.after().get("id") + " " + r.f3.op() + " items "
                + items.stream().map(i -> ((Map<?, ?>) i).get("item_id")).toList();
    }

    private static ChangeEvent order(Op op, int id, Integer customerId) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("customer_id", customerId);
        return op == Op.DELETE ? new ChangeEvent(op, "shop.orders", key(id), row, null, 1)
                : new ChangeEvent(op, "shop.orders", key(id), null, row, 1);
    }

    private static ChangeEvent item(Op op, int itemId, int orderId) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("item_id", itemId);
        row.put("order_id", orderId);
        Map<String, Object> key = new LinkedHashMap<>(Map.of("item_id", itemId));
        return op == Op.DELETE ? new ChangeEvent(op, "shop.order_items", key, row, null, 1)
                : new ChangeEvent(op, "shop.order_items", key, null, row, 1);
    }

    private static Map<String, Object> key(int id) {
        return new LinkedHashMap<>(Map.of("id", id));
    }
}
