package io.tapflow.flink.sink.jdbc;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the column whose text holds a NUL character (U+0000). MySQL and MariaDB text can hold one; PostgreSQL's text,
 * varchar and json(b) cannot, and refuse the whole statement naming only the byte. Looked for once a write failed,
 * so that the refusal names the column.
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
