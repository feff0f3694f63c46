package io.tapflow.flink.verify;

import io.tapflow.flink.event.RowValues;
import java.util.List;
import java.util.Map;

/**
 * One row that differs: missing in the target, extra in the target, or present with different fields.
 *
 * @param key    the target key fields and values
 * @param fields for DIFFERENT: each differing field, what the pipeline should have written and what the target holds
 */
public record Difference(Kind kind, Map<String, Object> key, List<FieldDifference> fields) {
    public Difference {
        key = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(key));
        fields = List.copyOf(fields);
    }

    /** The kinds of difference. */
    public enum Kind { MISSING, EXTRA, DIFFERENT }

    /** A field of a row that differs; {@code absent} marks a field one side does not have at all. */
    public record FieldDifference(String field, Object expected, Object actual) {}

    /** The key as text, e.g. {@code {id=3}}. */
    public String keyText() {
        return RowValues.format(key);
    }
}
