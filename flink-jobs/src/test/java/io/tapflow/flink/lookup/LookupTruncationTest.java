package io.tapflow.flink.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.event.SubtaskRouteKeys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * A TRUNCATE reaching each operator of a lookup (policy evolve): the router, the join and the gate forget the
 * truncated table's rows at every key, and only them; rows after the TRUNCATE start anew and are joined as usual.
 */
class LookupTruncationTest {
    private static final long FLOOR = 1_000;
    private static final Embedding ITEMS = new Embedding("items", true, List.of("item_id"), null, List.of());

    @Test
    void theRouterForgetsEveryRowOfTheTruncatedTableAndPassesTheTruncateOnOnce() throws Exception {
        try (var router = new KeyedOneInputStreamOperatorTestHarness<>(RowStateTruncation.router(new LookupRouter(List.of("customer_id"), false)),
                new LookupRecord.ByRow(), Types.STRING)) {
            router.open();
            router.setProcessingTime(1_000);
            router.processElement(new StreamRecord<>(row("shop.orders", Op.INSERT, 1, 7)));
            router.processElement(new StreamRecord<>(row("shop.orders", Op.INSERT, 2, 7)));
            router.processElement(new StreamRecord<>(row("shop.orders_2", Op.INSERT, 1, 7)));
            router.getOutput().clear();
            router.processElement(new StreamRecord<>(truncate("shop.orders")));
            assertThat(router.numKeyedStateEntries()).as("only the other table's row is held").isEqualTo(1);
            router.setProcessingTime(2_000);
            router.processElement(new StreamRecord<>(row("shop.orders", Op.INSERT, 1, 8)));
            List<Tuple4<Byte, Long, String, ChangeEvent>> out = router.extractOutputValues();
            assertThat(out).extracting(r -> r.f3.op() + " " + r.f2.replace("\u0001", "")).containsExactly(
                    "TRUNCATE " + SubtaskRouteKeys.of(128, 1)[0], "INSERT 8");
            // The TRUNCATE carries the floor its table's versions start at from now on (stamped at 1 ms here).
            assertThat(out.get(0).f1).isEqualTo(LookupRouter.firstVersion(1) + TruncatedTables.ERA);
            // Row 1 is new to the router again: stored where it is not yet, at a version above its first life's.
            assertThat(out.get(1).f0).isEqualTo(LookupRecord.INSERT);
            assertThat(out.get(1).f1).isEqualTo(LookupRouter.firstVersion(2_000) + TruncatedTables.ERA);
        }
    }

    @Test
    void theJoinTakesATruncatedLookedUpTablesRowsOutOfEveryParentAndForgetsTruncatedParents() throws Exception {
        try (var join = new KeyedTwoInputStreamOperatorTestHarness<>(new JoinTruncation(new LookupJoin(ITEMS, false)),
                new LookupRecord.ByRoutingKey(), new LookupRecord.ByRoutingKey(), Types.STRING)) {
            join.open();
            join.setProcessingTime(0);
            join.processElement2(record(LookupRecord.INSERT, "k1", item(30, 1)));
            join.processElement2(record(LookupRecord.INSERT, "k2", item(4, 2)));
            join.processElement1(record(LookupRecord.INSERT, "k1", order(1)));
            join.processElement1(record(LookupRecord.INSERT, "k1", order(3)));
            join.processElement1(record(LookupRecord.INSERT, "k2", order(2)));
            assertThat(emitted(join)).containsExactlyInAnyOrder("order 1 INSERT items [30]", "order 3 INSERT items [30]",
                    "order 2 INSERT items [4]");

            // The looked-up table's TRUNCATE: nothing goes on by itself; at the end of the batch every parent at a key
            // that held its rows is written again without them.
            join.processElement2(truncateCopy("shop.order_items", FLOOR));
            assertThat(emitted(join)).isEmpty();
            join.setProcessingTime(LookupJoin.BATCH_MS);
            assertThat(emitted(join)).containsExactlyInAnyOrder("order 1 UPDATE items []", "order 3 UPDATE items []",
                    "order 2 UPDATE items []");
            join.processElement2(record(LookupRecord.INSERT, "k1", FLOOR, item(5, 1)));
            join.setProcessingTime(2 * LookupJoin.BATCH_MS);
            assertThat(emitted(join)).containsExactlyInAnyOrder("order 1 UPDATE items [5]", "order 3 UPDATE items [5]");

            // The parents' TRUNCATE goes on (to the gate and the target) and leaves no parent to write again.
            join.processElement1(truncateCopy("shop.orders", FLOOR));
            assertThat(join.extractOutputValues()).extracting(r -> r.f3.op()).containsExactly(Op.TRUNCATE);
            join.getOutput().clear();
            join.processElement2(record(LookupRecord.UPSERT, "k1", FLOOR + 1, item(5, 1)));
            join.setProcessingTime(3 * LookupJoin.BATCH_MS);
            assertThat(emitted(join)).isEmpty();
            join.processElement1(record(LookupRecord.INSERT, "k1", FLOOR, order(1)));
            assertThat(emitted(join)).containsExactly("order 1 INSERT items [5]");
            join.processElement2(record(LookupRecord.INSERT, "k1", FLOOR, item(6, 1)));
            join.setProcessingTime(4 * LookupJoin.BATCH_MS);
            assertThat(emitted(join)).as("only the parent from after the TRUNCATE").containsExactly("order 1 UPDATE items [5, 6]");
        }
    }

    @Test
    void theGateForgetsTruncatedParentsSoTheirNextLifePasses() throws Exception {
        try (var gate = new KeyedOneInputStreamOperatorTestHarness<>(RowStateTruncation.gate(new LookupGate(false)),
                new LookupRecord.ByRoutingKey(), Types.STRING)) {
            gate.open();
            gate.processElement(record(LookupRecord.INSERT, JoinKeys.rowKey(order(1)), 5, order(1)));
            gate.processElement(record(LookupRecord.MOVE_IN, JoinKeys.rowKey(order(2)), 6, order(2)));
            gate.processElement(truncateCopy("shop.orders", FLOOR));
            assertThat(gate.numKeyedStateEntries()).isZero();
            gate.processElement(record(LookupRecord.INSERT, JoinKeys.rowKey(order(2)), FLOOR, order(2)));
            assertThat(gate.extractOutputValues()).extracting(e -> e.op() + " " + e.latestRow())
                    .containsExactly("INSERT {id=1, customer_id=7}", "INSERT {id=2, customer_id=7}", "TRUNCATE null",
                            "INSERT {id=2, customer_id=7}");
        }
    }

    @Test
    void aTruncateIsCopiedForEveryRouterSubtask() {
        String[] routers = SubtaskRouteKeys.of(128, 4);
        List<ChangeEvent> copies = TableTruncation.copies(truncate("shop.orders"), routers, 42);
        assertThat(copies).extracting(c -> KeyGroupRangeAssignment.assignKeyToParallelOperator(new LookupRecord.ByRow().getKey(c), 128, 4))
                .containsExactly(0, 1, 2, 3);
        assertThat(copies).extracting(TableTruncation::stamp).containsOnly(42L);
    }

    /**
     * Every router subtask meets the same TRUNCATE with the same stamp and numbers the table on from the same floor:
     * above every version it gave before (also to a row it met later than the stamp, lagging behind), and kept
     * across a restore, so the next TRUNCATE's floor is above every version given after this one.
     */
    @Test
    void everyRouterSubtaskSetsTheSameFloorAboveEveryVersionBeforeItAndKeepsItAcrossARestore() throws Exception {
        long stamp = 1_000_000;
        OperatorSubtaskState saved;
        long floor;
        try (var lagging = routerHarness(); var other = routerHarness()) {
            lagging.open();
            other.open();
            lagging.setProcessingTime(stamp + 3_600_000);
            lagging.processElement(new StreamRecord<>(row("shop.orders", Op.INSERT, 1, 7)));
            long before = lagging.extractOutputValues().get(0).f1;
            lagging.getOutput().clear();
            lagging.processElement(new StreamRecord<>(TableTruncation.copies(truncate("shop.orders"), new String[] {"r"}, stamp).get(0)));
            other.processElement(new StreamRecord<>(TableTruncation.copies(truncate("shop.orders"), new String[] {"r"}, stamp).get(0)));
            floor = lagging.extractOutputValues().get(0).f1;
            assertThat(other.extractOutputValues().get(0).f1).isEqualTo(floor);
            assertThat(before).isLessThan(floor);
            lagging.setProcessingTime(0); // a clock behind the stamp's: still at the floor
            lagging.processElement(new StreamRecord<>(row("shop.orders", Op.INSERT, 2, 7)));
            assertThat(lagging.extractOutputValues().get(1).f1).isEqualTo(floor);
            saved = lagging.snapshot(1, 1);
        }
        try (var restored = routerHarness()) {
            restored.initializeState(saved);
            restored.open();
            restored.setProcessingTime(stamp + 60_000);
            restored.processElement(new StreamRecord<>(row("shop.orders", Op.INSERT, 3, 7)));
            long after = restored.extractOutputValues().get(0).f1;
            assertThat(after).isEqualTo(LookupRouter.firstVersion(stamp + 60_000) + TruncatedTables.ERA);
            restored.processElement(new StreamRecord<>(TableTruncation.copies(truncate("shop.orders"), new String[] {"r"}, stamp + 1).get(0)));
            assertThat(restored.extractOutputValues().get(1).f1).isGreaterThan(after).isGreaterThanOrEqualTo(floor + TruncatedTables.ERA);
        }
    }

    /**
     * At parallelism &gt; 1 a join subtask meets a copy of a TRUNCATE from each router subtask, mixed with their rows:
     * it follows the first, keeps the rows after it (at or above the floor) and drops the rows before it that come
     * later from a router whose copy is still on its way; the other copies change nothing.
     */
    @Test
    void theJoinFollowsTheFirstCopyAndDropsWhatLaggingRoutersSentBeforeIt() throws Exception {
        try (var join = new KeyedTwoInputStreamOperatorTestHarness<>(new JoinTruncation(new LookupJoin(ITEMS, false)),
                new LookupRecord.ByRoutingKey(), new LookupRecord.ByRoutingKey(), Types.STRING)) {
            join.open();
            join.setProcessingTime(0);
            join.processElement2(record(LookupRecord.INSERT, "k1", item(30, 1)));
            join.processElement1(record(LookupRecord.INSERT, "k1", order(1)));
            join.processElement2(truncateCopy("shop.order_items", FLOOR));
            join.processElement2(record(LookupRecord.INSERT, "k1", FLOOR, item(7, 1)));
            join.processElement2(record(LookupRecord.INSERT, "k1", 6, item(8, 1)));
            join.processElement2(truncateCopy("shop.order_items", FLOOR));
            emitted(join);
            join.setProcessingTime(LookupJoin.BATCH_MS);
            assertThat(emitted(join)).containsExactly("order 1 UPDATE items [7]");

            join.processElement1(truncateCopy("shop.orders", FLOOR));
            join.processElement1(record(LookupRecord.INSERT, "k1", FLOOR, order(2)));
            join.processElement1(record(LookupRecord.UPSERT, "k1", 7, order(1)));
            join.processElement1(truncateCopy("shop.orders", FLOOR));
            assertThat(join.extractOutputValues()).extracting(r -> r.f3.op() + " " + r.f3.key())
                    .containsExactly("TRUNCATE {}", "INSERT {id=2}");
        }
    }

    @Test
    void theGateSendsATruncateOnOnceAndDropsPicturesFromBeforeIt() throws Exception {
        try (var gate = new KeyedOneInputStreamOperatorTestHarness<>(RowStateTruncation.gate(new LookupGate(false)),
                new LookupRecord.ByRoutingKey(), Types.STRING)) {
            gate.open();
            gate.processElement(record(LookupRecord.INSERT, JoinKeys.rowKey(order(1)), 5, order(1)));
            gate.processElement(truncateCopy("shop.orders", FLOOR));
            gate.processElement(record(LookupRecord.INSERT, JoinKeys.rowKey(order(2)), FLOOR, order(2)));
            gate.processElement(record(LookupRecord.UPSERT, JoinKeys.rowKey(order(3)), 7, order(3)));
            gate.processElement(truncateCopy("shop.orders", FLOOR));
            assertThat(gate.extractOutputValues()).extracting(e -> e.op() + " " + e.latestRow())
                    .containsExactly("INSERT {id=1, customer_id=7}", "TRUNCATE null", "INSERT {id=2, customer_id=7}");
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ChangeEvent, Tuple4<Byte, Long, String, ChangeEvent>> routerHarness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(RowStateTruncation.router(new LookupRouter(List.of("customer_id"), false)),
                new LookupRecord.ByRow(), Types.STRING);
    }

    private static List<String> emitted(KeyedTwoInputStreamOperatorTestHarness<String, Tuple4<Byte, Long, String, ChangeEvent>,
            Tuple4<Byte, Long, String, ChangeEvent>, Tuple4<Byte, Long, String, ChangeEvent>> join) {
        List<String> out = join.extractOutputValues().stream().map(r -> "order " + r.f3.after().get("id") + " " + r.f3.op()
                + " items " + ((List<?>) r.f3.after().get("items")).stream().map(i -> ((Map<?, ?>) i).get("item_id")).toList()).toList();
        join.getOutput().clear();
        return out;
    }

    private static StreamRecord<Tuple4<Byte, Long, String, ChangeEvent>> record(byte kind, String routingKey, ChangeEvent event) {
        return record(kind, routingKey, 1, event);
    }

    private static StreamRecord<Tuple4<Byte, Long, String, ChangeEvent>> record(byte kind, String routingKey, long version,
                                                                                ChangeEvent event) {
        return new StreamRecord<>(LookupRecord.of(kind, version, routingKey, event));
    }

    /** A router's copy of a TRUNCATE for the join (or a join's for the gate), carrying the table's new floor. */
    private static StreamRecord<Tuple4<Byte, Long, String, ChangeEvent>> truncateCopy(String table, long floor) {
        return new StreamRecord<>(TableTruncation.records(truncate(table), floor, new String[] {"copy"}).get(0));
    }

    private static ChangeEvent truncate(String table) {
        return new ChangeEvent(Op.TRUNCATE, table, new LinkedHashMap<>(), null, null, 1);
    }

    private static ChangeEvent order(int id) {
        return row("shop.orders", Op.INSERT, id, 7);
    }

    private static ChangeEvent row(String table, Op op, int id, int customerId) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("customer_id", customerId);
        return new ChangeEvent(op, table, new LinkedHashMap<>(Map.of("id", id)), null, row, 1);
    }

    private static ChangeEvent item(int itemId, int orderId) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("item_id", itemId);
        row.put("order_id", orderId);
        return new ChangeEvent(Op.INSERT, "shop.order_items", new LinkedHashMap<>(Map.of("item_id", itemId)), null, row, 1);
    }
}
