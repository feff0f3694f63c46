package io.tapflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TablePatternTest {
    private static final List<String> NAMES = List.of("order_1", "order_2", "order_tmp", "customer", "order_x_tmp");

    /** The one-regex form selects, over qualified names, exactly what selects() does over either form. */
    @Test
    void qualifiedSelectionAgreesWithSelects() {
        List<List<List<String>>> cases = List.of(
                List.of(List.of("order_.*"), List.of()),
                List.of(List.of("public\\.order_.*"), List.of("order_tmp")),
                List.of(List.of("order_\\d", "customer"), List.of("public\\.order_2")),
                List.of(List.of(".*"), List.of(".*tmp", "customer")));
        for (List<List<String>> c : cases) {
            Pattern one = Pattern.compile(TablePattern.qualifiedSelection(c.get(0), c.get(1), "public"));
            for (String name : NAMES) {
                assertThat(one.matcher("public." + name).matches()).as(c + " on " + name)
                        .isEqualTo(TablePattern.selects(c.get(0), c.get(1), "public", name));
            }
            assertThat(one.matcher("other.order_1").matches()).as("another schema's table").isFalse();
        }
    }
}
