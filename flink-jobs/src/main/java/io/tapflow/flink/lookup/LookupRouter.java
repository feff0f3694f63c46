package io.tapflow.flink.lookup;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by row (one side of a lookup), sends each change to the join subtask of its join key. It remembers the join
 * key each row was last sent to, so a change of the join value becomes a {@link LookupRecord#RETRACT} at the old key
 * and a {@link LookupRecord#MOVE_IN} at the new one, and a delete goes where the row is stored, whatever the source's
 * before image holds. Since it knows where each row is stored, it tells the join whether a row is new at a key
 * ({@link LookupRecord#INSERT}) or replaces one stored there ({@link LookupRecord#UPSERT}): the join then never has to
 * look that up in its state. Each change gets the next version of its row; the version survives a delete on purpose, so a
 * row deleted and inserted again keeps counting up and {@link LookupGate} never takes the new row for a stale one.
 *
 * <p>A deleted row's state (a tombstone) is kept for {@value #TOMBSTONE_MS} ms, then cleared, so the state holds the
 * rows that exist rather than every row ever deleted. A row the router holds nothing for starts at a version taken
 * from the clock ({@link #firstVersion}), above any version its earlier life can have reached: a row inserted again
 * after its tombstone is gone still passes a gate that remembers the old one, and an older picture of the old row
 * still arriving is still dropped. (Tombstones restored from state written before they expired are kept.)
 *
 * <p>Where every source emits its snapshot rows ({@link Op#READ}) before any change, a snapshot row is the first the
 * router sees of its row, so it is stored without first reading the state, which for a key not there is RocksDB's
 * most costly access (it searches every level); a snapshot row read again after a restore, as at-least-once
 * checkpoints replay some, then starts a new life at a clock version, above the one it had.
 */
public final class LookupRouter extends KeyedProcessFunction<String, ChangeEvent, Tuple4<Byte, Long, String, ChangeEvent>>
        implements ForgetsRows {
    private static final long serialVersionUID = 1L;
    /** How long a deleted row's version is kept (changes of one row within it count on from that version). */
    static final long TOMBSTONE_MS = 10 * 60_000;
    /**
     * Versions per millisecond of the clock for a row's first version: a row's earlier life, at most one change per
     * version, stays below it unless it made more than this many changes per millisecond it existed.
     */
    private static final long VERSIONS_PER_MS = 1024;
    private final List<String> joinFields;
    /** Whether every snapshot row comes before any change of its row (see the class comment). */
    private final boolean snapshotRowsFirst;
    /** The row's last version and the join key it was last sent to (null: none); one state value, one state access. */
    private transient ValueState<Tuple2<Long, String>> last;
    /** Where a row the router holds nothing for starts, per truncated table (kept by {@link RowStateTruncation}). */
    private transient TruncatedTables truncated;

    /**
     * @param joinFields        this side's fields of the join, in the order of the other side's
     * @param snapshotRowsFirst whether the sources emit every snapshot row before any change of the same row
     */
    public LookupRouter(List<String> joinFields, boolean snapshotRowsFirst) {
        this.joinFields = List.copyOf(joinFields);
        this.snapshotRowsFirst = snapshotRowsFirst;
    }

    @Override
    public void open(OpenContext context) {
        last = getRuntimeContext().getState(new ValueStateDescriptor<>("last", new TupleTypeInfo<>(Types.LONG, Types.STRING)));
        truncated = new TruncatedTables();
    }

    @Override
    public void processElement(ChangeEvent event, Context ctx, Collector<Tuple4<Byte, Long, String, ChangeEvent>> out)
            throws Exception {
        Tuple2<Long, String> previous = snapshotRowsFirst && event.op() == Op.READ ? null : last.value();
        long next = previous == null ? truncated.firstVersion(event.table(), ctx.timerService().currentProcessingTime())
                : previous.f0 + 1;
        String old = previous == null ? null : previous.f1;
        if (event.op() == Op.DELETE) {
            last.update(Tuple2.of(next, null));
            ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + TOMBSTONE_MS);
            out.collect(LookupRecord.of(LookupRecord.DELETE, next, old == null ? LookupRecord.NO_JOIN_KEY : old, event));
            return;
        }
        String now = JoinKeys.of(event.after(), joinFields);
        byte kind = old == null ? LookupRecord.INSERT : old.equals(now) ? LookupRecord.UPSERT : LookupRecord.MOVE_IN;
        if (kind == LookupRecord.MOVE_IN) {
            out.collect(LookupRecord.of(LookupRecord.RETRACT, next, old, event));
        }
        last.update(Tuple2.of(next, now.equals(LookupRecord.NO_JOIN_KEY) ? null : now));
        out.collect(LookupRecord.of(kind, next, now, event));
    }

    /**
     * Clears a row stored at no join key (its tombstone, or a row inserted again with a NULL join value): its next
     * change starts at a clock version above every one it had. A row stored at a join key keeps its state.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Tuple4<Byte, Long, String, ChangeEvent>> out)
            throws Exception {
        Tuple2<Long, String> row = last.value();
        if (row != null && row.f1 == null) {
            last.clear();
        }
    }

    /** The version of a row the router holds nothing for (new, or its tombstone expired); 1 at the clock's start. */
    static long firstVersion(long processingTimeMs) {
        return Math.max(1, processingTimeMs * VERSIONS_PER_MS);
    }

    /** Numbers the rows of truncated tables after their TRUNCATE. */
    void numberAfter(TruncatedTables tables) {
        this.truncated = tables;
    }

    @Override
    public String[] rowStates() {
        return new String[] {"last"};
    }

    /** The row's table was truncated: its next change starts it anew at a clock version, as a row never seen. */
    @Override
    public void forgetRow() {
        last.clear();
    }
}
