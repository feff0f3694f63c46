package io.tapflow.flink.step;

import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.UdfLimits;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.udf.GuestFunction;
import java.util.Map;
import org.apache.flink.util.Collector;

/** Sets a field to the value of a JavaScript expression, converted to the step's type, on both row images. */
public final class ExpressionFieldStep implements RowStep {
    private static final long serialVersionUID = 1L;
    private final Step.AddField step;
    private final FieldValue.Expression value;
    private final UdfLimits limits;
    private transient GuestFunction expression;

    public ExpressionFieldStep(Step.AddField step, UdfLimits limits) {
        this.step = step;
        this.value = (FieldValue.Expression) step.value();
        this.limits = limits;
    }

    @Override
    public void open() {
        expression = GuestFunction.javaScriptExpression(step.id(), value.expression(), false, limits);
    }

    @Override
    public void apply(ChangeEvent event, Collector<ChangeEvent> out) {
        set(event.before(), event);
        set(event.after(), event);
        out.collect(event);
    }

    private void set(Map<String, Object> row, ChangeEvent event) {
        if (row == null) {
            return;
        }
        Object result = expression.evaluate(row, UdfStep.opName(event.op()), event.table(), step.field());
        try {
            row.put(step.field(), TypeConversions.convert(result, value.type(), step.field()));
        } catch (IllegalArgumentException e) {
            throw new StepException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (expression != null) {
            expression.close();
        }
    }
}
