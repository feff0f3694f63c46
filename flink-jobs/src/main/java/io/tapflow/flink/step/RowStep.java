package io.tapflow.flink.step;

import io.tapflow.flink.event.ChangeEvent;
import java.io.Serializable;
import org.apache.flink.util.Collector;

/**
 * The work of one pipeline step on one change event: emit it (changed or not), nothing, or several events. Shipped
 * to Flink serialized; anything expensive (guest code contexts) is made in {@link #open()} once per subtask.
 */
public interface RowStep extends Serializable {

    default void open() {}

    /** @throws StepException (or a {@link io.tapflow.udf.GuestCodeException}) when the event cannot be processed */
    void apply(ChangeEvent event, Collector<ChangeEvent> out);

    default void close() {}
}
