package io.tapflow.flink.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NulCharactersTest {
    private static final String BACKSLASH = "\\";

    @Test
    void findsTheJsonEscapeOfANulButNotAnEscapedBackslashBeforeU0000() {
        assertThat(NulCharacters.holdsNulEscape("{\"a\": \"x" + BACKSLASH + "u0000y\"}")).isTrue();
        assertThat(NulCharacters.holdsNulEscape("{\"a\": \"" + BACKSLASH.repeat(3) + "u0000\"}")).isTrue();
        assertThat(NulCharacters.holdsNulEscape("{\"a\": \"" + BACKSLASH.repeat(2) + "u0000\"}")).isFalse();
        assertThat(NulCharacters.holdsNulEscape("{\"a\": \"" + BACKSLASH + "u0001 u0000\"}")).isFalse();
    }

    @Test
    void namesTheColumnHoldingTheEscapeOrTheCharacter() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 2);
        row.put("body", "plain");
        row.put("doc", "[\"" + BACKSLASH + "u0000\"]");
        assertThat(NulCharacters.escapeColumn(row)).contains("doc");
        assertThat(NulCharacters.column(row)).isEmpty();
        row.put("body", "a\0b");
        assertThat(NulCharacters.column(row)).contains("body");
    }
}
