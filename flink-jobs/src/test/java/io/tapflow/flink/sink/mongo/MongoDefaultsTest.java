package io.tapflow.flink.sink.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.schema.Column;
import java.util.Optional;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

class MongoDefaultsTest {

    @Test
    void constantsBecomeTheValuesRowsOfTheColumnBring() {
        assertThat(MongoDefaults.value(column("varchar", false), "'it''s'")).contains("it's");
        assertThat(MongoDefaults.value(column("int", false), "7")).contains(7);
        assertThat(MongoDefaults.value(column("int", true), "7")).contains(7L);
        assertThat(MongoDefaults.value(column("bigint", false), "-5")).contains(-5L);
        assertThat(MongoDefaults.value(column("decimal", false), "12.50")).contains(new Decimal128(new java.math.BigDecimal("12.50")));
        assertThat(MongoDefaults.value(column("double", false), "1.5")).contains(1.5);
    }

    @Test
    void constantsWithoutAnExactDocumentFormAreNotSet() {
        assertThat(MongoDefaults.value(column("date", false), "'2024-01-01'")).isEqualTo(Optional.empty());
        assertThat(MongoDefaults.value(column("varchar", false), "'a\\nb'")).isEmpty();
        assertThat(MongoDefaults.value(column("varchar", false), "7")).isEmpty();
        assertThat(MongoDefaults.value(column("int", false), "7.5")).isEmpty();
        assertThat(MongoDefaults.value(column("bigint", true), "7")).isEmpty();
    }

    private static Column column(String dataType, boolean unsigned) {
        return new Column("c", dataType, dataType, -1, -1, -1, true, unsigned);
    }
}
