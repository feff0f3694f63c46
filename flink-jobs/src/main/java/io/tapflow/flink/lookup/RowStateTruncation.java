package io.tapflow.flink.lookup;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.SubtaskRouteKeys;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Runs a lookup's {@link LookupRouter} or {@link LookupGate}, both keyed by row, so that a TRUNCATE of a table
 * reaching it makes it forget every row of that table it holds, in order with the rows: those before the TRUNCATE
 * were handled with what it held, those after it start anew (a row inserted again gets a version above every one it
 * had, see {@link TruncatedTables}). A router meets each TRUNCATE once, in order with its rows, and sends a copy of
 * it to every join subtask, carrying the table's new floor. A gate meets a copy from every join subtask: it forgets
 * at the first, drops the table's records below the floor that still come, and sends the TRUNCATE on once.
 */
public final class RowStateTruncation<IN, OUT> extends KeyedProcessOperator<String, IN, OUT> {
    private static final long serialVersionUID = 1L;
    /** The router sends records on to the join; the gate sends change events on. */
    private final boolean sendsRecords;
    /** A router's truncated tables ({@link TruncatedTables}), checkpointed; unused by a gate. */
    private transient TruncatedTables truncated;
    private transient ListState<Tuple3<String, Long, Long>> truncatedState;
    /** A gate's floors of the TRUNCATEs it met; unused by a router. */
    private transient TruncationFloors floors;
    /** A key routed to each subtask of this operator, and of the join after a router (both of one parallelism). */
    private transient String[] subtasks;
    /** A key routed to this subtask: a gate's TRUNCATE goes on to a router chained after it with it. */
    private transient String thisSubtask;
    /** For the last gate of a pipeline's lookups: what it does after it sent a TRUNCATE on (null: nothing). */
    private final AfterTruncateSent afterSent;

    private <F extends KeyedProcessFunction<String, IN, OUT> & ForgetsRows> RowStateTruncation(F function, boolean sendsRecords,
                                                                                             AfterTruncateSent afterSent) {
        super(function);
        this.sendsRecords = sendsRecords;
        this.afterSent = afterSent;
    }

    public static RowStateTruncation<ChangeEvent, Tuple4<Byte, Long, String, ChangeEvent>> router(LookupRouter router) {
        return new RowStateTruncation<>(router, true, null);
    }

    public static RowStateTruncation<Tuple4<Byte, Long, String, ChangeEvent>, ChangeEvent> gate(LookupGate gate) {
        return gate(gate, null);
    }

    /** @param afterSent for the last gate of a pipeline's lookups: what it does after it sent a TRUNCATE on */
    public static RowStateTruncation<Tuple4<Byte, Long, String, ChangeEvent>, ChangeEvent> gate(LookupGate gate,
                                                                                              AfterTruncateSent afterSent) {
        return new RowStateTruncation<>(gate, false, afterSent);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        truncated = new TruncatedTables();
        floors = new TruncationFloors();
        if (sendsRecords) {
            truncatedState = context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>("truncated-tables",
                    new TupleTypeInfo<>(Types.STRING, Types.LONG, Types.LONG)));
            truncated.restore(truncatedState.get());
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        // The join after a router, and a router after a gate, run at its parallelism, and so get the same maximum
        // parallelism (key groups).
        subtasks = SubtaskRouteKeys.of(getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks(),
                getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
        thisSubtask = subtasks[getRuntimeContext().getTaskInfo().getIndexOfThisSubtask()];
        if (sendsRecords) {
            ((LookupRouter) userFunction).numberAfter(truncated);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        if (sendsRecords) {
            truncatedState.update(truncated.entries());
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processElement(StreamRecord<IN> element) throws Exception {
        ChangeEvent event;
        if (element.getValue() instanceof ChangeEvent e) {
            event = e;
        } else {
            Tuple4<Byte, Long, String, ChangeEvent> record = (Tuple4<Byte, Long, String, ChangeEvent>) element.getValue();
            event = record.f3;
            if (!TableTruncation.isTruncate(event)) {
                if (!floors.before(event.table(), record.f1)) {
                    super.processElement(element);
                }
                return;
            }
            if (!floors.raise(event.table(), record.f1)) {
                return; // another join subtask's copy of a TRUNCATE met already
            }
        }
        if (!TableTruncation.isTruncate(event)) {
            super.processElement(element);
            return;
        }
        ForgetsRows function = (ForgetsRows) userFunction;
        for (String row : TableTruncation.keys(getKeyedStateBackend(), TableTruncation.rowsOf(event.table()), function.rowStates())) {
            setCurrentKey(row);
            function.forgetRow();
        }
        if (!sendsRecords) {
            ChangeEvent onward = TableTruncation.routedTo(event, thisSubtask);
            output.collect(element.replace((OUT) (afterSent == null ? onward : afterSent.sent(onward))));
            if (afterSent != null) {
                afterSent.await(event, getContainingTask().getEnvironment().getOperatorCoordinatorEventGateway());
            }
            return;
        }
        long floor = truncated.truncate(event.table(), TableTruncation.stamp(event));
        for (Tuple4<Byte, Long, String, ChangeEvent> record : TableTruncation.records(event, floor, subtasks)) {
            output.collect(element.replace((OUT) record));
        }
    }
}
