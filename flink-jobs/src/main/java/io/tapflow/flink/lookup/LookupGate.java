package io.tapflow.flink.lookup;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by parent row, after a lookup's join: lets through only versions of a row at least as new as the last one it
 * let through. Needed because a parent whose join value changed is emitted from two join subtasks: a change of a
 * looked-up row at the old join key may be handled there before the parent's retract arrives, and that older picture
 * of the parent may reach this gate after the new one. Equal versions pass (a looked-up row's change re-emits the
 * parent with the version it has).
 *
 * <p>A deleted parent's version is kept (a tombstone) only while an older picture can still come: while a move of the
 * row to another join key ({@link LookupRecord#MOVE_IN}) has not been matched by the {@link LookupRecord#RETRACT}
 * that the old key's join passes on after its last picture of the row. Then the row's state is cleared, so the state
 * holds the rows that exist, not every row ever seen. (Tombstones restored from state written before moves were
 * tracked are kept, as that state did.)
 *
 * <p>Where every source emits its snapshot rows before any change, the picture of a parent's snapshot row
 * ({@link Op#READ}, as the join first emits it) is the first of its row, or a replay after a restore at a newer version:
 * it passes, with no state access. Nor is it stored: every later picture of the row has at least its version, so the
 * first picture after it that reaches the gate may pass just as well, and its state is kept from there on. The snapshot
 * then writes no state here.
 */
public final class LookupGate extends KeyedProcessFunction<String, Tuple4<Byte, Long, String, ChangeEvent>, ChangeEvent>
        implements CheckpointedFunction, ForgetsRows {
    private static final long serialVersionUID = 1L;
    /** Stands for the unknown moves of a row restored from legacy state: matched by nothing, so kept for good. */
    private static final long UNKNOWN_MOVES = Long.MIN_VALUE;
    /** State format 1: the last version let through, kept for deleted rows too. */
    private transient ValueState<Long> legacyVersion;
    /**
     * The last version let through; the versions of moves whose MOVE_IN came without its RETRACT yet (positive) or
     * the other way round (negative); whether the row is deleted. Moves are matched by version rather than counted,
     * so a record replayed after a restore (checkpoints are at-least-once) cannot settle a move twice.
     */
    private transient ValueState<Tuple3<Long, List<Long>, Boolean>> order;
    private transient StateFormat format;
    /** Whether every snapshot row comes before any change of its row. */
    private final boolean snapshotRowsFirst;

    /** @param snapshotRowsFirst whether the sources emit every snapshot row before any change of the same row */
    public LookupGate(boolean snapshotRowsFirst) {
        this.snapshotRowsFirst = snapshotRowsFirst;
    }

    @Override
    public void open(OpenContext context) {
        legacyVersion = getRuntimeContext().getState(new ValueStateDescriptor<>("last-version", Types.LONG));
        order = getRuntimeContext().getState(new ValueStateDescriptor<>("order",
                new TupleTypeInfo<>(Types.LONG, Types.LIST(Types.LONG), Types.BOOLEAN)));
    }

    @Override
    public void processElement(Tuple4<Byte, Long, String, ChangeEvent> record, Context ctx, Collector<ChangeEvent> out)
            throws Exception {
        if (snapshotRowsFirst && record.f0 == LookupRecord.INSERT && record.f3.op() == Op.READ) {
            out.collect(record.f3);
            return;
        }
        Tuple3<Long, List<Long>, Boolean> row = current();
        byte kind = record.f0;
        long version = record.f1;
        boolean changed = row.f0 == Long.MIN_VALUE;
        if (kind == LookupRecord.RETRACT) {
            changed |= match(row.f1, -version);
        } else {
            if (kind == LookupRecord.MOVE_IN) {
                changed |= match(row.f1, version);
            }
            if (version >= row.f0) {
                boolean deleted = kind == LookupRecord.DELETE;
                changed |= version != row.f0 || deleted != row.f2;
                row.f0 = version;
                row.f2 = deleted;
                out.collect(record.f3);
            }
        }
        if (row.f2 && row.f1.isEmpty()) {
            order.clear(); // deleted, and no older picture can come any more
        } else if (changed) {
            order.update(row);
        }
    }

    /** Records one side of a move; settles it when the other side is there. Whether anything changed. */
    private static boolean match(List<Long> unmatched, long side) {
        if (unmatched.remove(Long.valueOf(-side))) {
            return true;
        }
        if (unmatched.contains(side)) {
            return false; // replayed
        }
        unmatched.add(side);
        return true;
    }

    private Tuple3<Long, List<Long>, Boolean> current() throws Exception {
        Tuple3<Long, List<Long>, Boolean> row = order.value();
        if (row != null) {
            return row;
        }
        if (format.legacy()) {
            Long version = legacyVersion.value();
            if (version != null) {
                legacyVersion.clear();
                row = Tuple3.of(version, new ArrayList<>(List.of(UNKNOWN_MOVES)), false);
                order.update(row);
                return row;
            }
        }
        return Tuple3.of(Long.MIN_VALUE, new ArrayList<>(), false);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        format.snapshot();
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        format = StateFormat.initialize(context);
    }

    @Override
    public String[] rowStates() {
        return new String[] {"order", "last-version"};
    }

    /**
     * The parent's table was truncated: no picture of the row from before can come any more (they all came before the
     * TRUNCATE), and its next life starts above every version it had.
     */
    @Override
    public void forgetRow() {
        order.clear();
        legacyVersion.clear();
    }
}
