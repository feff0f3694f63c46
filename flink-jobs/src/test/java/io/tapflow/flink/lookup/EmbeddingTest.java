package io.tapflow.flink.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Flattening a looked-up row whose table gained a column while the job runs. */
class EmbeddingTest {
    private final Embedding customer = new Embedding(null, false, List.of("id"), "", List.of("name"));

    @Test
    void aColumnTheLookedUpTableGainedIsFlattenedTooButNeverOntoAFieldOfTheRow() {
        Map<String, Object> order = row("id", 7, "customer_id", 1);
        // "customer_id" is the join field, left out by planning; "email" came with an ADD COLUMN.
        customer.embed(order, List.of(row("customer_id", 1, "name", "Ada", "email", "ada@x")));
        assertThat(order).containsExactly(entry("id", 7), entry("customer_id", 1), entry("name", "Ada"),
                entry("email", "ada@x"));
    }

    @Test
    void withoutAMatchOnlyThePlannedColumnsAreNull() {
        Map<String, Object> order = row("id", 8, "customer_id", 2);
        customer.embed(order, List.of());
        assertThat(order).containsExactly(entry("id", 8), entry("customer_id", 2), entry("name", null));
    }

    private static Map<String, Object> row(Object... fieldsAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            row.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return row;
    }
}
