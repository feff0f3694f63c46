package io.tapflow.flink.step;

import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.UdfLimits;
import java.util.List;

/**
 * The {@link RowStep} of each pipeline step that can fail on a row, shared by the job's {@link StepOperator}s and by
 * {@code tapflow verify}, which runs source rows through the very same steps to know what the target should hold.
 */
public final class RowSteps {
    private RowSteps() {}

    /**
     * @return the step's row step; null for steps that only change the plan (table renames) and for an
     *         {@link Step.AddField} with a constant or the processing time, which the job runs as a plain map
     *         ({@link AddFieldFunction})
     */
    public static RowStep of(Step step, UdfLimits limits) {
        if (step instanceof Step.RenameTables
                || step instanceof Step.AddField add && !(add.value() instanceof FieldValue.Expression)) {
            return null;
        }
        if (step instanceof Step.AddField add) {
            return new ExpressionFieldStep(add, limits);
        }
        if (step instanceof Step.Filter f) {
            return new FilterStep(f, limits);
        }
        if (step instanceof Step.JsUdf || step instanceof Step.PyUdf) {
            return new UdfStep(step, limits);
        }
        if (step instanceof Step.Unwind u) {
            return new UnwindStep(u);
        }
        RowTransform transform = RowTransforms.of(step);
        if (transform == null) {
            throw new IllegalArgumentException("no translation for step " + step);
        }
        return new RowImageStep(transform);
    }

    /** Whether the pipeline has a UDF, after which rows bound for fixed target columns need {@link PlannedColumnsStep}. */
    public static boolean hasUdf(List<Step> steps) {
        return steps.stream().anyMatch(s -> s instanceof Step.JsUdf || s instanceof Step.PyUdf);
    }
}
