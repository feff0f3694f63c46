package io.tapflow.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValueFitTest {
    private static final TableSchema SCHEMA = new TableSchema("db", "t", List.of(
            new Column("id", "int", "int(11)", 0, 10, 0, false, false),
            new Column("big", "int", "int(10) unsigned", 0, 10, 0, true, true),
            new Column("name", "varchar", "varchar(3)", 3, 0, 0, true, false),
            new Column("note", "text", "text", 65535, 0, 0, true, false),
            new Column("amount", "decimal", "decimal(5,2)", 0, 5, 2, true, false)), List.of("id"));

    @Test
    void aValueWiderThanItsColumnDoesNotFit() {
        ValueFit fit = ValueFit.of(SCHEMA, null);
        assertThat(fit.fits(row(1, 5L, "abc", "a long note", new BigDecimal("999.99")))).isTrue();
        assertThat(fit.fits(row(1, 5L, null, null, null))).as("nulls fit").isTrue();
        assertThat(fit.fits(row(1, 5L, "abcd", null, null))).as("a varchar(3) of 4 characters").isFalse();
        assertThat(fit.fits(row(1, 5L, "😀😀", null, null))).as("UTF-16 length, as before").isFalse();
        assertThat(fit.fits(row(1, 5L, null, null, new BigDecimal("1000.00")))).as("4 integer digits in decimal(5,2)").isFalse();
        assertThat(fit.fits(row(1, 5L, null, null, new BigDecimal("-999.999")))).as("more scale is not more digits").isTrue();
        assertThat(fit.fits(row(3_000_000_000L, 5L, null, null, null))).as("a Long in a signed int").isFalse();
    }

    @Test
    void theCheckIsMadeAgainOnlyForAnotherSchema() {
        ValueFit fit = ValueFit.of(SCHEMA, null);
        assertThat(ValueFit.of(SCHEMA, fit)).isSameAs(fit);
        TableSchema widened = new TableSchema("db", "t", List.of(new Column("id", "bigint", "bigint(20)", 0, 19, 0, false, false)),
                List.of("id"));
        assertThat(ValueFit.of(widened, fit)).isNotSameAs(fit);
        assertThat(ValueFit.of(widened, fit).fits(row(3_000_000_000L, 5L, null, null, null))).isTrue();
    }

    @Test
    void sameFieldsIsSetEqualityInAnyOrder() {
        Set<String> known = new LinkedHashSet<>(List.of("id", "name", "note"));
        assertThat(SchemaChangeFollower.sameFields(new LinkedHashSet<>(List.of("id", "name", "note")), known)).isTrue();
        assertThat(SchemaChangeFollower.sameFields(new LinkedHashSet<>(List.of("note", "id", "name")), known)).isTrue();
        assertThat(SchemaChangeFollower.sameFields(new LinkedHashSet<>(List.of("id", "name", "other")), known)).isFalse();
        assertThat(SchemaChangeFollower.sameFields(new LinkedHashSet<>(List.of("id", "name")), known)).isFalse();
        assertThat(SchemaChangeFollower.sameFields(Set.of("id"), null)).isFalse();
    }

    private static Map<String, Object> row(Object id, Object big, Object name, Object note, Object amount) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("big", big);
        row.put("name", name);
        row.put("note", note);
        row.put("amount", amount);
        return row;
    }
}
