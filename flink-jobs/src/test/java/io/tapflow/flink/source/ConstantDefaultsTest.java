package io.tapflow.flink.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which column defaults are copied into a target: constants, as MariaDB and PostgreSQL write them, and nothing else. */
class ConstantDefaultsTest {
    @Test
    void constantsAreKeptExpressionsAndNullAreNot() {
        assertThat(ConstantDefaults.constant("'d'")).isEqualTo("'d'");
        assertThat(ConstantDefaults.constant("'it''s'")).isEqualTo("'it''s'");
        assertThat(ConstantDefaults.constant("7")).isEqualTo("7");
        assertThat(ConstantDefaults.constant("-12.50")).isEqualTo("-12.50");
        assertThat(ConstantDefaults.constant("'d'::character varying")).isEqualTo("'d'");
        assertThat(ConstantDefaults.constant("'5'::numeric(10,2)")).isEqualTo("'5'");
        assertThat(ConstantDefaults.constant("NULL")).isNull();
        assertThat(ConstantDefaults.constant(null)).isNull();
        assertThat(ConstantDefaults.constant("current_timestamp()")).isNull();
        assertThat(ConstantDefaults.constant("nextval('t_id_seq'::regclass)")).isNull();
        assertThat(ConstantDefaults.constant("'a\\\\'; DROP TABLE t; --'")).isNull();
    }
}
