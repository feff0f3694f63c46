package io.tapflow.flink.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.schema.Column;
import org.junit.jupiter.api.Test;

class PostgresColumnTypesTest {
    @Test
    void bpcharWithoutALengthIsTextNotACharOfOne() {
        // Northwind's keys: customer_id bpchar holds 'ALFKI'; char(1) would make targets refuse or cut it.
        assertThat(PostgresColumnTypes.describe("customer_id", "bpchar", -1, -1, -1, false))
                .contains(new Column("customer_id", "text", "longtext", -1, -1, -1, false, false));
        assertThat(PostgresColumnTypes.describe("code", "bpchar", 3, -1, -1, true))
                .contains(new Column("code", "char", "char(3)", 3, -1, -1, true, false));
    }

    @Test
    void xmlAndCitextAreTheirText() {
        assertThat(PostgresColumnTypes.describe("demographics", "xml", -1, -1, -1, true))
                .contains(new Column("demographics", "xml", "longtext", -1, -1, -1, true, false));
        assertThat(PostgresColumnTypes.describe("email", "citext", -1, -1, -1, true))
                .contains(new Column("email", "text", "longtext", -1, -1, -1, true, false));
        assertThat(PostgresColumnTypes.SUPPORTED).contains("xml", "citext");
    }

    @Test
    void hstoreStaysRefused() {
        assertThat(PostgresColumnTypes.describe("attrs", "hstore", -1, -1, -1, true)).isEmpty();
    }
}
