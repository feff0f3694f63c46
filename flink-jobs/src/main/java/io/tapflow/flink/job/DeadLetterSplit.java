package io.tapflow.flink.job;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.step.DeadLetters;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Sends the dead letters a source emitted among its changes to the dead-letter output; the changes pass on. */
final class DeadLetterSplit extends ProcessFunction<ChangeEvent, ChangeEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(ChangeEvent event, Context ctx, Collector<ChangeEvent> out) {
        if (DeadLetters.SOURCE_TABLE.equals(event.table())) {
            ctx.output(StepTranslator.DEAD_LETTERS, event);
        } else {
            out.collect(event);
        }
    }
}
