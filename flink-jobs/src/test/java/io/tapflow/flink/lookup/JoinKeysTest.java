package io.tapflow.flink.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.event.RowValues;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Join values match by value, exactly: across number types and scales, never more loosely. */
class JoinKeysTest {

    @Test
    void numbersOfAnyTypeAndScaleMatchByTheirExactValue() {
        assertThat(key(5)).isEqualTo(key(5L)).isEqualTo(key(new BigDecimal("5.00"))).isEqualTo(key(new BigDecimal("5")))
                .isEqualTo(key(5.0d)).isEqualTo(key(5.0f)).isEqualTo(key(new BigDecimal("0.5E1"))).isEqualTo("5\u0001");
        assertThat(key(new BigDecimal("-12.50"))).isEqualTo(key(-12.5d));
        assertThat(key(new BigDecimal("0.00"))).isEqualTo(key(0)).isEqualTo(key(-0.0d));
        assertThat(key(new BigDecimal("1E+3"))).isEqualTo(key(1000));
    }

    @Test
    void differentValuesNeverMatch() {
        assertThat(key(5)).isNotEqualTo(key(new BigDecimal("5.1"))).isNotEqualTo(key(5.1d)).isNotEqualTo(key(6L));
        // DOUBLE 0.1 is 0.1000000000000000055511151231257827021181583404541015625: not DECIMAL 0.1.
        assertThat(key(0.1d)).isNotEqualTo(key(new BigDecimal("0.1")));
        assertThat(key(0.1f)).isNotEqualTo(key(0.1d));
        assertThat(key(Double.NaN)).isEqualTo("NaN\u0001");
        assertThat(key(9007199254740993L)).isNotEqualTo(key(9007199254740992d));
    }

    @Test
    void stringsStayCaseSensitiveAndOtherValuesMatchByText() {
        assertThat(key("ab")).isNotEqualTo(key("AB"));
        assertThat(key("5.00")).as("a string matches by its text").isNotEqualTo(key(5));
        assertThat(key(LocalDate.of(2026, 1, 2))).isEqualTo(key(LocalDate.of(2026, 1, 2)));
    }

    @Test
    void aNullJoinValueMatchesNothingAndSeveralFieldsMakeOneKey() {
        Map<String, Object> row = new HashMap<>();
        row.put("a", 1);
        row.put("b", null);
        assertThat(JoinKeys.of(row, List.of("a", "b"))).isEqualTo(LookupRecord.NO_JOIN_KEY);
        row.put("b", new BigDecimal("2.0"));
        assertThat(JoinKeys.of(row, List.of("a", "b"))).isEqualTo("1\u00012\u0001");
    }

    @Test
    void aRowKeyIsTheTableAndTheKeyAsRowValuesFormatsIt() {
        Map<String, Object> key = new java.util.LinkedHashMap<>();
        key.put("a", 1);
        key.put("b", "x y");
        key.put("c", new byte[] {1, 2});
        ChangeEvent event = new ChangeEvent(Op.INSERT, "shop.t", key, null, new HashMap<>(key), 1);
        assertThat(JoinKeys.rowKey(event)).isEqualTo("shop.t\u0001" + RowValues.format(key))
                .isEqualTo("shop.t\u0001{a=1, b=x y, c=0x0102}");
    }

    private static String key(Object value) {
        Map<String, Object> row = new HashMap<>();
        row.put("v", value);
        return JoinKeys.of(row, List.of("v"));
    }
}
