package io.tapflow.flink.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnumErrorValuesTest {
    private static final TargetTable TABLE = new TargetTable("shop.t", "t", List.of("id"), List.of(
            new Column("id", "int", "int(11)", -1, -1, -1, false, false),
            new Column("e", "enum", "enum('a','it''s','x,y')", -1, -1, -1, true, false),
            new Column("blank", "enum", "enum('','b')", -1, -1, -1, true, false)));

    @Test
    void readsTheMembersOfADeclaration() {
        assertThat(EnumErrorValues.members("enum('a','it''s','x,y')")).containsExactly("a", "it's", "x,y");
        assertThat(EnumErrorValues.members("enum('','b')")).containsExactly("", "b");
    }

    @Test
    void namesTheEnumColumnHoldingTheErrorValueOnlyWhenTheServerSaidDataTruncated() {
        List<Map<String, Object>> rows = List.of(Map.of("id", 1, "e", "a", "blank", ""), Map.of("id", 2, "e", "", "blank", "b"));
        assertThat(EnumErrorValues.firstHolder(1265, TABLE, rows)).contains("column 'e' holds '', MySQL's error value of an"
                + " ENUM (index 0, stored by a server not in strict mode for a value outside the members), which the target"
                + " column enum('a','it''s','x,y') cannot take in tapflow's strict sessions");
        assertThat(EnumErrorValues.firstHolder(1406, TABLE, rows)).isEmpty();
        assertThat(EnumErrorValues.firstHolder(1265, TABLE, List.of(rows.get(0)))).isEmpty();
    }
}
