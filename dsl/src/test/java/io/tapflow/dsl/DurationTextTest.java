package io.tapflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {
    @Test
    void formatsAsMySqlPrintsTime() {
        assertThat(DurationText.format(Duration.ofSeconds(-1))).isEqualTo("-00:00:01");
        assertThat(DurationText.format(Duration.ofMinutes(-90))).isEqualTo("-01:30:00");
        assertThat(DurationText.format(Duration.ofHours(24))).isEqualTo("24:00:00");
        assertThat(DurationText.format(Duration.ofHours(838).plusMinutes(59).plusSeconds(59).plusNanos(999_999_000)))
                .isEqualTo("838:59:59.999999");
        assertThat(DurationText.format(Duration.ofNanos(-1_000))).isEqualTo("-00:00:00.000001");
        assertThat(DurationText.format(Duration.ofNanos(1))).isEqualTo("00:00:00.000000001");
    }

    @Test
    void parsesWhatItFormats() {
        for (String text : new String[] {"-838:59:59", "-00:00:00.000001", "00:00:00", "24:00:00.5", "123:04:05.000100"}) {
            assertThat(DurationText.format(DurationText.parse(text)))
                    .isEqualTo(text.equals("24:00:00.5") ? "24:00:00.500000" : text);
        }
        assertThat(DurationText.parse("-01:30:00")).isEqualTo(Duration.ofMinutes(-90));
    }

    @Test
    void rejectsTextThatIsNoTime() {
        assertThatThrownBy(() -> DurationText.parse("12")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'12' is not a time");
    }
}
