package io.tapflow.flink.lookup;

import io.tapflow.flink.event.ChangeEvent;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Runs a lookup's {@link LookupRouter} or {@link LookupGate}, both keyed by row, so that a TRUNCATE of a table
 * reaching it makes it forget every row of that table it holds, in order with the rows: those before the TRUNCATE
 * were handled with what it held, those after it start anew (a row inserted again gets a version above every one it
 * had, see {@link LookupRouter#firstVersion}). The TRUNCATE then goes on, once.
 */
public final class RowStateTruncation<IN, OUT> extends KeyedProcessOperator<String, IN, OUT> {
    private static final long serialVersionUID = 1L;
    /** The router sends records on to the join; the gate sends change events on. */
    private final boolean sendsRecords;

    private <F extends KeyedProcessFunction<String, IN, OUT> & ForgetsRows> RowStateTruncation(F function, boolean sendsRecords) {
        super(function);
        this.sendsRecords = sendsRecords;
    }

    public static RowStateTruncation<ChangeEvent, Tuple4<Byte, Long, String, ChangeEvent>> router(LookupRouter router) {
        return new RowStateTruncation<>(router, true);
    }

    public static RowStateTruncation<Tuple4<Byte, Long, String, ChangeEvent>, ChangeEvent> gate(LookupGate gate) {
        return new RowStateTruncation<>(gate, false);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processElement(StreamRecord<IN> element) throws Exception {
        ChangeEvent event = element.getValue() instanceof ChangeEvent e ? e
                : ((Tuple4<Byte, Long, String, ChangeEvent>) element.getValue()).f3;
        if (!TableTruncation.isTruncate(event)) {
            super.processElement(element);
            return;
        }
        ForgetsRows function = (ForgetsRows) userFunction;
        for (String row : TableTruncation.keys(getKeyedStateBackend(), TableTruncation.rowsOf(event.table()), function.rowStates())) {
            setCurrentKey(row);
            function.forgetRow();
        }
        output.collect(element.replace((OUT) (sendsRecords ? TableTruncation.record(event) : event)));
    }
}
