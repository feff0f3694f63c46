package io.tapflow.flink.sink.jdbc;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes canonical row values in PostgreSQL's COPY text format (UTF-8, tab between columns, newline after a row,
 * {@code \N} for NULL, backslash escapes) into one reusable buffer, without building intermediate strings for text.
 */
final class CopyTextEncoder {
    private static final byte[] NULL = {'\\', 'N'};
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private byte[] buffer = new byte[1 << 16];
    private int size;
    private final StringBuilder dateText = new StringBuilder(40);

    void reset() {
        size = 0;
    }

    byte[] buffer() {
        return buffer;
    }

    int size() {
        return size;
    }

    void columnSeparator() {
        put((byte) '\t');
    }

    void rowEnd() {
        put((byte) '\n');
    }

    void value(String column, Object value) {
        if (value == null) {
            putAll(NULL);
        } else if (value instanceof String s) {
            text(s);
        } else if (value instanceof Integer || value instanceof Long) {
            // Digits straight into the reused builder: no String per key or count column.
            ascii(scratch().append(((Number) value).longValue()));
        } else if (value instanceof Boolean b) {
            put((byte) (b ? 't' : 'f'));
        } else if (value instanceof byte[] bytes) {
            bytea(bytes);
        } else if (value instanceof BigDecimal d) {
            ascii(d.toPlainString());
        } else if (value instanceof java.time.Duration d) {
            ascii(io.tapflow.dsl.DurationText.format(d));
        } else if (value instanceof java.time.LocalDate d) {
            ascii(PostgresDateText.date(scratch(), d));
        } else if (value instanceof java.time.LocalDateTime t) {
            ascii(PostgresDateText.dateTime(scratch(), t));
        } else if (value instanceof java.time.Instant i) {
            ascii(PostgresDateText.instant(scratch(), i));
        } else if (value instanceof java.util.Map<?, ?> || value instanceof java.util.List<?>) {
            // An embedded row or array (lookup), as JSON text for its jsonb column.
            text(io.tapflow.flink.sink.JsonValues.value(value).toString());
        } else if (value instanceof Number || value instanceof java.time.LocalTime) {
            // Float, Double (NaN and Infinity as PostgreSQL spells them); a time as ISO 8601.
            ascii(value.toString());
        } else {
            throw new IllegalArgumentException("column '" + column + "' holds a " + value.getClass().getName()
                    + ", which is not a tapflow row value type");
        }
    }

    private void text(String s) {
        ensure(s.length() * 3 + 2);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '\\' -> escaped('\\');
                    case '\n' -> escaped('n');
                    case '\r' -> escaped('r');
                    case '\t' -> escaped('t');
                    default -> buffer[size++] = (byte) c;
                }
            } else if (c < 0x800) {
                buffer[size++] = (byte) (0xC0 | (c >> 6));
                buffer[size++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buffer[size++] = (byte) (0xF0 | (cp >> 18));
                buffer[size++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buffer[size++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buffer[size++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                buffer[size++] = (byte) (0xE0 | (c >> 12));
                buffer[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buffer[size++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }

    private void escaped(char c) {
        buffer[size++] = '\\';
        buffer[size++] = (byte) c;
    }

    /** bytea in hex form, {@code \x0102}; the backslash itself is escaped for the text format. */
    private void bytea(byte[] bytes) {
        ensure(bytes.length * 2 + 3);
        buffer[size++] = '\\';
        buffer[size++] = '\\';
        buffer[size++] = 'x';
        for (byte b : bytes) {
            buffer[size++] = HEX[(b >> 4) & 0xF];
            buffer[size++] = HEX[b & 0xF];
        }
    }

    /** The reused builder that numbers, dates and times are written into before they are copied to the buffer. */
    private StringBuilder scratch() {
        dateText.setLength(0);
        return dateText;
    }

    private void ascii(CharSequence s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buffer[size++] = (byte) s.charAt(i);
        }
    }

    private void put(byte b) {
        ensure(1);
        buffer[size++] = b;
    }

    private void putAll(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
