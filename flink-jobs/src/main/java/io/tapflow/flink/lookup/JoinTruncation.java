package io.tapflow.flink.lookup;

import io.tapflow.flink.event.ChangeEvent;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Runs a lookup's {@link LookupJoin} so that a TRUNCATE reaching it is followed at every join key, in order with
 * the rows of its side: the parents' table's TRUNCATE forgets those parents and goes on to the gate (and the target,
 * which is emptied); the looked-up table's TRUNCATE forgets its rows, and the parents at each key that held some are
 * written again without them at the end of the join's batch (an embedded object becomes null, array elements go).
 */
public final class JoinTruncation extends KeyedCoProcessOperator<String, Tuple4<Byte, Long, String, ChangeEvent>,
        Tuple4<Byte, Long, String, ChangeEvent>, Tuple4<Byte, Long, String, ChangeEvent>> {
    private static final long serialVersionUID = 1L;
    /** The join's timers, the ones its batches of looked-up rows' changes run on. */
    private transient TimerService timers;

    public JoinTruncation(LookupJoin join) {
        super(join);
    }

    @Override
    public void open() throws Exception {
        super.open();
        // The name KeyedCoProcessOperator gives the function's timer service: the same service, the same timers.
        timers = new SimpleTimerService(getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this));
    }

    @Override
    public void processElement1(StreamRecord<Tuple4<Byte, Long, String, ChangeEvent>> element) throws Exception {
        ChangeEvent event = element.getValue().f3;
        if (!TableTruncation.isTruncate(event)) {
            super.processElement1(element);
            return;
        }
        atEveryJoinKey(LookupJoin.PARENT_STATES, joinKey -> join().forgetParents(event.table()));
        output.collect(element);
    }

    @Override
    public void processElement2(StreamRecord<Tuple4<Byte, Long, String, ChangeEvent>> element) throws Exception {
        ChangeEvent event = element.getValue().f3;
        if (!TableTruncation.isTruncate(event)) {
            super.processElement2(element);
            return;
        }
        atEveryJoinKey(LookupJoin.CHILD_STATES, joinKey -> join().forgetChildren(event.table(), joinKey, timers, event.sourceTsMs()));
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
