package io.tapflow.flink.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColumnCapacityTest {
    private static final TargetTable TABLE = new TargetTable("shop.t", "t", List.of("id"), List.of(
            new Column("id", "int", "int(11)", -1, -1, -1, false, false),
            new Column("name", "varchar", "varchar(5)", 5, -1, -1, true, false)));

    @Test
    void namesTheColumnAndValueItsTypeCannotHold() {
        assertThat(ColumnCapacity.firstMisfit(TABLE, List.of(Map.of("id", 1, "name", "fits"),
                Map.of("id", 2, "name", "too long")))).contains("column 'name' of target table t is varchar(5), which cannot "
                + "hold the value 'too long' (8 characters)");
        assertThat(ColumnCapacity.firstMisfit(TABLE, List.of(Map.of("id", 5_000_000_000L, "name", "x"))))
                .hasValueSatisfying(m -> assertThat(m).startsWith("column 'id' of target table t is int(11)")
                        .endsWith("(beyond a 32-bit integer)"));
    }

    @Test
    void valuesThatFitAreNoMisfit() {
        assertThat(ColumnCapacity.firstMisfit(TABLE, List.of(Map.of("id", 2_000_000_000L, "name", "ünïcö")))).isEmpty();
    }
}
