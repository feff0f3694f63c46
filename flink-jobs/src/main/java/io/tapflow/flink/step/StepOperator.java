package io.tapflow.flink.step;

import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.RowValues;
import io.tapflow.udf.GuestCodeException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flink operator of one step: runs its {@link RowStep} and applies the pipeline's error policy to rows the step
 * cannot process. Counts every such row in the metrics {@code tapflowStepErrors}, {@code tapflowRowsSkipped} and
 * {@code tapflowDeadLetters}.
 */
public final class StepOperator extends ProcessFunction<ChangeEvent, ChangeEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(StepOperator.class);

    private final String pipeline;
    private final String stepId;
    private final RowStep step;
    private final ErrorPolicy policy;
    private final OutputTag<ChangeEvent> deadLetters;
    private transient Counter errors;
    private transient Counter skipped;
    private transient Counter deadLettered;

    /** @param deadLetters where failed rows go under the dead-letter policy; null otherwise */
    public StepOperator(String pipeline, String stepId, RowStep step, ErrorPolicy policy, OutputTag<ChangeEvent> deadLetters) {
        this.pipeline = pipeline;
        this.stepId = stepId;
        this.step = step;
        this.policy = policy;
        this.deadLetters = deadLetters;
    }

    @Override
    public void open(OpenContext openContext) {
        errors = getRuntimeContext().getMetricGroup().counter("tapflowStepErrors");
        skipped = getRuntimeContext().getMetricGroup().counter("tapflowRowsSkipped");
        deadLettered = getRuntimeContext().getMetricGroup().counter("tapflowDeadLetters");
        step.open();
    }

    @Override
    public void processElement(ChangeEvent event, Context ctx, Collector<ChangeEvent> out) {
        try {
            step.apply(event, out);
        } catch (TapflowException e) {
            errors.inc();
            String message = describe(e, event);
            switch (policy.mode()) {
                case SKIP -> {
                    if (skipped.getCount() >= policy.maxErrors()) {
                        throw new StepException(message + " (more than " + policy.maxErrors()
                                + " rows failed in this subtask, the limit of the 'skip' error policy)", e);
                    }
                    skipped.inc();
                    LOG.warn("skipped: {}", message);
                }
                case DEAD_LETTER -> {
                    ctx.output(deadLetters, DeadLetters.event(pipeline, stepId, event, message));
                    deadLettered.inc();
                }
                default -> throw new StepException(message, e);
            }
        }
    }

    private String describe(TapflowException e, ChangeEvent event) {
        String row = RowValues.format(event.key()) + " of " + event.table();
        return e instanceof GuestCodeException g ? g.onRow(row)
                : "step '" + stepId + "' failed on row " + row + ": " + e.getMessage();
    }

    @Override
    public void close() {
        step.close();
    }
}
