package io.tapflow.flink.step;

import io.tapflow.dsl.Step;
import io.tapflow.dsl.UdfLimits;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.udf.GuestFunction;
import java.util.Map;
import org.apache.flink.util.Collector;

/**
 * Keeps or drops rows by a JavaScript expression. Each row image is tested on its own, so an update whose new row
 * stops passing becomes a delete of the old row and one that starts passing becomes an upsert of the new row.
 */
public final class FilterStep implements RowStep {
    private static final long serialVersionUID = 1L;
    private final Step.Filter step;
    private final UdfLimits limits;
    private transient GuestFunction expression;

    public FilterStep(Step.Filter step, UdfLimits limits) {
        this.step = step;
        this.limits = limits;
    }

    @Override
    public void open() {
        expression = GuestFunction.javaScriptExpression(step.id(), step.expression(), true, limits);
    }

    @Override
    public void apply(ChangeEvent event, Collector<ChangeEvent> out) {
        boolean before = event.before() != null && passes(event.before(), event);
        boolean after = event.after() != null && passes(event.after(), event);
        if (event.op() == Op.UPDATE && before && !after) {
            out.collect(new ChangeEvent(Op.DELETE, event.table(), event.key(), event.before(), null, event.sourceTsMs()));
        } else if (event.op() == Op.UPDATE && after && !before) {
            out.collect(new ChangeEvent(Op.UPDATE, event.table(), event.key(), null, event.after(), event.sourceTsMs()));
        } else if (event.op() == Op.DELETE ? before : after) {
            out.collect(event);
        }
    }

    private boolean passes(Map<String, Object> row, ChangeEvent event) {
        return expression.test(row, UdfStep.opName(event.op()), event.table()) == step.keep();
    }

    @Override
    public void close() {
        if (expression != null) {
            expression.close();
        }
    }
}
