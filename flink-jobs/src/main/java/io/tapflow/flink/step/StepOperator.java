package io.tapflow.flink.step;

import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.event.RowValues;
import io.tapflow.flink.job.JobFailures;
import io.tapflow.udf.GuestCodeException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flink operator of one step: runs its {@link RowStep} and applies the pipeline's error policy to rows the step
 * cannot process. Counts every such row in the metrics {@code tapflowStepErrors}, {@code tapflowRowsSkipped} and
 * {@code tapflowDeadLetters}. The skipped rows are checkpointed (at most the policy's limit of them): a restart must not
 * reset the limit of the skip policy, or a job over its limit would fail and restart forever.
 */
public final class StepOperator extends ProcessFunction<ChangeEvent, ChangeEvent> implements CheckpointedFunction {
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
    private transient ListState<String> skippedState;
    private transient Set<String> skippedRows;

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
        if (event.op().isTableEvent()) {
            // A TRUNCATE on its way to the target (policy evolve) has no row for a step.
            out.collect(event);
            return;
        }
        try {
            step.apply(event, out);
        } catch (TapflowException e) {
            errors.inc();
            String message = describe(e, event);
            switch (policy.mode()) {
                case SKIP -> skip(event, message);
                case DEAD_LETTER -> {
                    ctx.output(deadLetters, DeadLetters.event(pipeline, stepId, event, message));
                    deadLettered.inc();
                }
                default -> throw failure(message);
            }
        }
    }

    private void skip(ChangeEvent event, String message) {
        // A row replayed after a restore is the same failure, not one more. A snapshot row read again gets a new read
        // time, so snapshot rows are told apart by key alone; a live change by its commit time too.
        String identity = event.table() + "\n" + event.op() + "\n" + RowValues.format(event.key())
                + (event.op() == Op.READ ? "" : "\n" + event.sourceTsMs());
        if (!skippedRows.contains(identity) && skippedRows.size() >= policy.maxErrors()) {
            throw failure(message + " (more than " + policy.maxErrors()
                    + " rows failed in this subtask, the limit of the 'skip' error policy)");
        }
        skippedRows.add(identity);
        skipped.inc();
        LOG.warn("skipped: {}", message);
    }

    /**
     * The job failure for a row: fatal ({@link JobFailures}), since after a restore the same row comes again and fails
     * again, so restarting would only hide this message behind whatever the restarts run into. The cause is left out on
     * purpose: a polyglot exception in the chain makes Flink ship the whole chain as text, and the client could no
     * longer show this message, which has all the user needs.
     */
    private static RuntimeException failure(String message) {
        StepException failure = new StepException(message, null);
        JobFailures.failFastIfFatal(failure);
        return failure;
    }

    private String describe(TapflowException e, ChangeEvent event) {
        String row = RowValues.format(event.key()) + " of " + event.table();
        return e instanceof GuestCodeException g ? g.onRow(row)
                : "step '" + stepId + "' failed on row " + row + ": " + e.getMessage();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        skippedState.update(new ArrayList<>(skippedRows));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        skippedState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("skipped-rows", Types.STRING));
        skippedRows = new HashSet<>();
        skippedState.get().forEach(skippedRows::add);
    }

    @Override
    public void close() {
        step.close();
    }
}
