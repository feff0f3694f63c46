package io.tapflow.flink.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyOrderTest {
    @Test
    void wholeNumbersStayLongAndCompareByValueWithDecimals() {
        assertThat(KeyOrder.keyForm(7)).isEqualTo(7L);
        assertThat(KeyOrder.keyForm((short) 7)).isEqualTo(7L);
        assertThat(KeyOrder.keyForm(new java.math.BigInteger("7"))).isEqualTo(new BigDecimal("7"));
        assertThat(KeyOrder.INSTANCE.compare(List.of(7L), List.of(new BigDecimal("7.00")))).isZero();
        assertThat(KeyOrder.INSTANCE.compare(List.of(7L), List.of(new BigDecimal("7.01")))).isNegative();
        assertThat(KeyOrder.INSTANCE.compare(List.of(Long.MAX_VALUE), List.of(Long.MIN_VALUE))).isPositive();
        assertThat(KeyOrder.INSTANCE.compare(List.of(2L), List.of(1.5d))).isPositive();
        // A number orders against text as a BigDecimal did before: by type name, the same for Long and BigDecimal.
        assertThat(Integer.signum(KeyOrder.INSTANCE.compare(List.of(2L), List.of("a"))))
                .isEqualTo(Integer.signum(KeyOrder.INSTANCE.compare(List.of(new BigDecimal(2)), List.of("a"))));
    }
}
