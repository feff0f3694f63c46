package io.tapflow.flink.step;

import io.tapflow.dsl.Step;
import io.tapflow.dsl.UdfLimits;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.udf.GuestFunction;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.util.Collector;

/**
 * Runs a JavaScript or Python UDF on the row of each event: the after image of snapshot rows, inserts and updates,
 * the before image of deletes, and also the before image of updates (so key fields the UDF derives stay consistent).
 * No row returned drops the event; several fan it out into one event each.
 */
public final class UdfStep implements RowStep {
    private static final long serialVersionUID = 1L;
    private final Step step;
    private final UdfLimits limits;
    private transient GuestFunction function;

    /** @param step a {@link Step.JsUdf} or {@link Step.PyUdf} */
    public UdfStep(Step step, UdfLimits limits) {
        if (!(step instanceof Step.JsUdf || step instanceof Step.PyUdf)) {
            throw new IllegalArgumentException("not a UDF step: " + step);
        }
        this.step = step;
        this.limits = limits;
    }

    /** Compiles the step's code in a fresh sandboxed context; the caller closes it. */
    public static GuestFunction compile(Step step, UdfLimits limits) {
        return step instanceof Step.PyUdf py
                ? GuestFunction.python(step.id(), py.source(), py.function(), py.origin(), limits)
                : GuestFunction.javaScriptBody(step.id(), ((Step.JsUdf) step).code(), limits);
    }

    /** The operation as guest code sees it: "read", "insert", "update" or "delete". */
    static String opName(Op op) {
        return op.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void open() {
        function = compile(step, limits);
    }

    @Override
    public void apply(ChangeEvent event, Collector<ChangeEvent> out) {
        boolean delete = event.op() == Op.DELETE;
        List<Map<String, Object>> rows = function.applyTo(delete ? event.before() : event.after(), opName(event.op()), event.table());
        // Fanned-out rows are new rows: an update's before image would make each of them delete the old row.
        Map<String, Object> before = rows.size() == 1 && !delete ? transformedBefore(event) : null;
        for (Map<String, Object> row : rows) {
            out.collect(delete
                    ? new ChangeEvent(Op.DELETE, event.table(), event.key(), row, null, event.sourceTsMs())
                    : new ChangeEvent(event.op(), event.table(), event.key(), before, row, event.sourceTsMs()));
        }
    }

    /**
     * An update's before image as this UDF makes it, so that the sink finds the target row the previous version was
     * written to: a UDF that derives key fields would otherwise leave a stale row behind when the source key changes.
     * Null when the UDF drops (or fans out) the previous version: there was no single target row for it.
     */
    private Map<String, Object> transformedBefore(ChangeEvent event) {
        if (event.before() == null) {
            return null;
        }
        List<Map<String, Object>> rows = function.applyTo(event.before(), opName(event.op()), event.table());
        return rows.size() == 1 ? rows.get(0) : null;
    }

    @Override
    public void close() {
        if (function != null) {
            function.close();
        }
    }
}
