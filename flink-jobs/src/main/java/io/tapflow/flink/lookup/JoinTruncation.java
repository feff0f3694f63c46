package io.tapflow.flink.lookup;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.SubtaskRouteKeys;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Runs a lookup's {@link LookupJoin} so that a TRUNCATE reaching it is followed at every join key, in order with
 * the rows of its side: the parents' table's TRUNCATE forgets those parents and goes on to every gate subtask (and
 * the target, which is emptied); the looked-up table's TRUNCATE forgets its rows, and the parents at each key that
 * held some are written again without them at the end of the join's batch (an embedded object becomes null, array
 * elements go). A copy comes from every router subtask of its side: the first is followed, and the table's records
 * below its floor that still come (from routers whose copy is on its way) are dropped ({@link TableTruncation}).
 */
public final class JoinTruncation extends KeyedCoProcessOperator<String, Tuple4<Byte, Long, String, ChangeEvent>,
        Tuple4<Byte, Long, String, ChangeEvent>, Tuple4<Byte, Long, String, ChangeEvent>> {
    private static final long serialVersionUID = 1L;
    /** The join's timers, the ones its batches of looked-up rows' changes run on. */
    private transient TimerService timers;
    private transient TruncationFloors parentFloors;
    private transient TruncationFloors childFloors;
    /** A key routed to each subtask of the gate after the join. */
    private transient String[] gateSubtasks;

    public JoinTruncation(LookupJoin join) {
        super(join);
    }

    @Override
    public void open() throws Exception {
        super.open();
        // The name KeyedCoProcessOperator gives the function's timer service: the same service, the same timers.
        timers = new SimpleTimerService(getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this));
        parentFloors = new TruncationFloors();
        childFloors = new TruncationFloors();
        // The gate runs at the join's parallelism, and so gets the same maximum parallelism (key groups).
        gateSubtasks = SubtaskRouteKeys.of(getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks(),
                getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
    }

    @Override
    public void processElement1(StreamRecord<Tuple4<Byte, Long, String, ChangeEvent>> element) throws Exception {
        ChangeEvent event = element.getValue().f3;
        long version = element.getValue().f1;
        if (!TableTruncation.isTruncate(event)) {
            if (!parentFloors.before(event.table(), version)) {
                super.processElement1(element);
            }
            return;
        }
        if (parentFloors.raise(event.table(), version)) {
            atEveryJoinKey(LookupJoin.PARENT_STATES, joinKey -> join().forgetParents(event.table()));
            for (Tuple4<Byte, Long, String, ChangeEvent> copy : TableTruncation.records(event, version, gateSubtasks)) {
                output.collect(element.replace(copy));
            }
        }
    }

    @Override
    public void processElement2(StreamRecord<Tuple4<Byte, Long, String, ChangeEvent>> element) throws Exception {
        ChangeEvent event = element.getValue().f3;
        long version = element.getValue().f1;
        if (!TableTruncation.isTruncate(event)) {
            if (!childFloors.before(event.table(), version)) {
                super.processElement2(element);
            }
            return;
        }
        if (childFloors.raise(event.table(), version)) {
            atEveryJoinKey(LookupJoin.CHILD_STATES, joinKey -> join().forgetChildren(event.table(), joinKey, timers, event.sourceTsMs()));
        }
    }

    private LookupJoin join() {
        return (LookupJoin) userFunction;
    }

    /** Runs the action with each join key that holds state in the named states as the current key. */
    private void atEveryJoinKey(String[] states, JoinKeyAction action) throws Exception {
        for (String joinKey : TableTruncation.keys(getKeyedStateBackend(), key -> true, states)) {
            setCurrentKey(joinKey);
            action.run(joinKey);
        }
    }

    /** What is done at one join key. */
    private interface JoinKeyAction {
        void run(String joinKey) throws Exception;
    }
}
