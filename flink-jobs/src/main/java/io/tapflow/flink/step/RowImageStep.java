package io.tapflow.flink.step;

import io.tapflow.flink.event.ChangeEvent;
import org.apache.flink.util.Collector;

/**
 * Applies a field transform to both row images of every event, so deletes and key moves still find the target row by
 * its transformed key.
 */
public final class RowImageStep implements RowStep {
    private static final long serialVersionUID = 1L;
    private final RowTransform transform;

    public RowImageStep(RowTransform transform) {
        this.transform = transform;
    }

    @Override
    public void apply(ChangeEvent event, Collector<ChangeEvent> out) {
        try {
            if (event.before() != null) {
                transform.apply(event.before());
            }
            if (event.after() != null) {
                transform.apply(event.after());
            }
        } catch (IllegalArgumentException e) {
            throw new StepException(e.getMessage(), e);
        }
        out.collect(event);
    }
}
