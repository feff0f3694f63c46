package io.tapflow.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.event.RowValues;
import java.util.Map;

/** Row comparisons of the type-mapping tests: every column by value (not by Java equality), with readable failures. */
final class RowAssertions {
    private RowAssertions() {}

    /** The row has exactly the expected columns, in order, and each holds an equal value. */
    static void assertRow(Map<String, Object> actual, Map<String, Object> expected) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((column, value) -> assertThat(RowValues.valuesEqual(actual.get(column), value))
                .as(column + ": got " + RowValues.format(actual.get(column)) + " (" + typeOf(actual.get(column))
                        + "), expected " + RowValues.format(value) + " (" + typeOf(value) + ")")
                .isTrue());
    }

    /** The row has this many columns, and all but its id are null. */
    static void assertNullsExceptId(Map<String, Object> row, int columns) {
        assertThat(row).hasSize(columns);
        row.forEach((column, value) -> {
            if (!column.equals("id")) {
                assertThat(value).as(column).isNull();
            }
        });
    }

    private static String typeOf(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName();
    }
}
