package io.tapflow.flink.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.schema.Column;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Decimals a MySQL column would round without an error are refused; every value it holds exactly passes. */
class MySqlDecimalFitTest {
    private static final MySqlDialect MYSQL = new MySqlDialect();
    /** PostgreSQL's numeric without precision, written as MySQL's widest DECIMAL. */
    private static final Column ANY = new Column("exact", "decimal", "decimal(65,30)", -1, -1, -1, true, false);
    private static final Column MONEY = new Column("amount", "decimal", "decimal(5,2)", -1, 5, 2, true, false);

    @Test
    void valuesWithinTheColumnPass() {
        for (String v : new String[] {"0", "-0.000000000000000000000000000001", "99999999999999999999999999999999999.999999999999999999999999999999",
                "1.50000000000000000000000000000000000", "1E+34", "-12345678901234567890123456789012345"}) {
            assertThatCode(() -> MYSQL.checkFits(ANY, new BigDecimal(v))).as(v).doesNotThrowAnyException();
        }
        assertThatCode(() -> MYSQL.checkFits(MONEY, new BigDecimal("-999.99"))).doesNotThrowAnyException();
    }

    @Test
    void valuesTheColumnWouldRoundOrCannotHoldAreRefused() {
        assertThatThrownBy(() -> MYSQL.checkFits(ANY, new BigDecimal("0.1234567890123456789012345678901")))
                .isInstanceOf(TapflowException.class)
                .hasMessage("column 'exact' holds 0.1234567890123456789012345678901 (0 digits before the point, 31 after), which "
                        + "the MySQL column decimal(65,30) (at most 35 and 30) cannot hold without rounding");
        assertThatThrownBy(() -> MYSQL.checkFits(ANY, new BigDecimal("1E+35"))).isInstanceOf(TapflowException.class)
                .hasMessageContaining("(36 digits before the point, 0 after)");
        assertThatThrownBy(() -> MYSQL.checkFits(MONEY, new BigDecimal("1.234"))).isInstanceOf(TapflowException.class)
                .hasMessageContaining("the MySQL column decimal(5,2) (at most 3 and 2)");
    }

    @Test
    void otherColumnsAreNotChecked() {
        Column bigintUnsigned = new Column("n", "bigint", "bigint unsigned", -1, -1, -1, true, true);
        assertThatCode(() -> MYSQL.checkFits(bigintUnsigned, new BigDecimal("18446744073709551615"))).doesNotThrowAnyException();
    }
}
