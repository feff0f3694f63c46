package io.tapflow.flink.sink.jdbc;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the column whose text holds a NUL character (U+0000), or a JSON text its escape (backslash, u0000). MySQL and
 * MariaDB text and JSON, and PostgreSQL json, can hold one; PostgreSQL's text, varchar and jsonb cannot, and refuse
 * the whole statement naming only the byte or the escape. Looked for once a write failed, so that the refusal names
 * the column.
 */
final class NulCharacters {
    private NulCharacters() {}

    /** True when PostgreSQL refused a value for holding a NUL character. */
    static boolean refusedFor(String message) {
        return message != null && (message.contains("0x00") || message.contains("\\u0000"));
    }

    /** The first column of the row whose text (or text inside an embedded document) holds a NUL character. */
    static Optional<String> column(Map<String, Object> row) {
        return row.entrySet().stream().filter(e -> holdsNul(e.getValue())).map(Map.Entry::getKey).findFirst();
    }

    /** The first column of the row whose text holds the JSON escape of a NUL character, which jsonb refuses. */
    static Optional<String> escapeColumn(Map<String, Object> row) {
        return row.entrySet().stream().filter(e -> e.getValue() instanceof String s && holdsNulEscape(s))
                .map(Map.Entry::getKey).findFirst();
    }

    /** Whether a JSON text holds the escape backslash-u0000, its backslash not itself escaped (an even run before it). */
    static boolean holdsNulEscape(String json) {
        for (int at = json.indexOf("\\u0000"); at >= 0; at = json.indexOf("\\u0000", at + 1)) {
            int backslashes = 0;
            while (at - backslashes - 1 >= 0 && json.charAt(at - backslashes - 1) == '\\') {
                backslashes++;
            }
            if (backslashes % 2 == 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean holdsNul(Object value) {
        if (value instanceof String s) {
            return s.indexOf('\u0000') >= 0;
        }
        if (value instanceof Map<?, ?> map) {
            return map.keySet().stream().anyMatch(NulCharacters::holdsNul) || map.values().stream().anyMatch(NulCharacters::holdsNul);
        }
        return value instanceof List<?> list && list.stream().anyMatch(NulCharacters::holdsNul);
    }
}
