package io.tapflow.api;

import io.tapflow.dsl.api.ApiOperator;
import java.util.List;

/**
 * A row condition built from a request: field names are checked declared fields, values are typed. Backends render it
 * as SQL with bound parameters or as typed BSON; nothing from the request is ever spliced into query text.
 */
public sealed interface Condition {
    /** {@code field op value} for eq, neq, gt, gte, lt, lte; {@code like} takes a pattern with {@code *} as wildcard. */
    record Compare(String field, ApiOperator op, Object value) implements Condition {}

    record In(String field, List<Object> values) implements Condition {
        public In {
            values = List.copyOf(values);
        }
    }

    record IsNull(String field, boolean isNull) implements Condition {}

    /** All of them; none is true. */
    record All(List<Condition> parts) implements Condition {
        public All {
            parts = List.copyOf(parts);
        }
    }

    /** Any of them; none is false. */
    record Any(List<Condition> parts) implements Condition {
        public Any {
            parts = List.copyOf(parts);
        }
    }

    Condition TRUE = new All(List.of());
    Condition FALSE = new Any(List.of());

    static Condition all(List<Condition> parts) {
        return parts.size() == 1 ? parts.get(0) : new All(parts);
    }
}
