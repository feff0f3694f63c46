package io.tapflow.flink.step;

import java.io.Serializable;
import java.util.Map;

/** A change to one row image, in place; applied alike to the before and after image of an event. */
@FunctionalInterface
public interface RowTransform extends Serializable {
    void apply(Map<String, Object> row);
}
