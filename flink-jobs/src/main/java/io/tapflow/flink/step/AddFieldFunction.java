package io.tapflow.flink.step;

import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.Step;
import io.tapflow.flink.event.ChangeEvent;
import java.time.Instant;
import org.apache.flink.api.common.functions.MapFunction;

/** Runs an {@link Step.AddField} step with a constant or the processing time: sets the field on both row images. */
public final class AddFieldFunction implements MapFunction<ChangeEvent, ChangeEvent> {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final boolean processingTime;
    private final Object constant;

    public AddFieldFunction(Step.AddField step) {
        this.field = step.field();
        this.processingTime = step.value() instanceof FieldValue.ProcessingTime;
        this.constant = step.value() instanceof FieldValue.Constant c ? c.value() : null;
    }

    @Override
    public ChangeEvent map(ChangeEvent event) {
        Object value = processingTime ? Instant.now() : constant;
        // Both images, as every field transform does: a later UDF sees a delete's before image, and must find the field.
        if (event.before() != null) {
            event.before().put(field, value);
        }
        if (event.after() != null) {
            event.after().put(field, value);
        }
        return event;
    }
}
