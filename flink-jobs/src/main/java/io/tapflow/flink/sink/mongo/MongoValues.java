package io.tapflow.flink.sink.mongo;

import io.tapflow.dsl.DurationText;
import io.tapflow.flink.sink.RowKey;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;

/**
 * Row values as BSON. DATE, DATETIME and TIMESTAMP become BSON dates (DATE at UTC midnight, DATETIME read as UTC;
 * BSON dates hold milliseconds, so microseconds are cut); a time of day becomes its ISO text, MySQL's TIME (a span)
 * its MySQL text such as {@code -838:59:59.000001}; DECIMAL becomes Decimal128 when it
 * fits its 34 digits, else exact decimal text; FLOAT becomes the double with the same decimal digits; binary
 * becomes BSON binary. An embedded row (lookup) becomes a nested document and an embedded array a BSON array, their
 * values converted by the same rules.
 */
public final class MongoValues {
    private MongoValues() {}

    public static Object toBson(Object value) {
        if (value instanceof Instant i) {
            return Date.from(i);
        }
        if (value instanceof LocalDateTime t) {
            return Date.from(t.toInstant(ZoneOffset.UTC));
        }
        if (value instanceof LocalDate d) {
            return Date.from(d.atStartOfDay().toInstant(ZoneOffset.UTC));
        }
        if (value instanceof LocalTime t) {
            return t.toString();
        }
        if (value instanceof Duration d) {
            return DurationText.format(d);
        }
        if (value instanceof BigDecimal d) {
            return d.precision() <= 34 && d.scale() >= -6111 && d.scale() <= 6176 ? new Decimal128(d) : d.toPlainString();
        }
        if (value instanceof Float f) {
            return Double.parseDouble(Float.toString(f));
        }
        if (value instanceof byte[] b) {
            return new Binary(b);
        }
        if (value instanceof java.util.Map<?, ?> row) {
            Document document = new Document();
            row.forEach((field, v) -> document.append((String) field, toBson(v)));
            return document;
        }
        if (value instanceof List<?> array) {
            return array.stream().map(MongoValues::toBson).collect(java.util.stream.Collectors.toList());
        }
        return value;
    }

    /** The {@code _id} of a row: the key value, or a sub-document of the key fields when the key has several. */
    public static Object documentId(List<String> keyFields, RowKey key) {
        if (key.size() == 1) {
            return toBson(key.get(0));
        }
        Document id = new Document();
        for (int i = 0; i < key.size(); i++) {
            id.append(keyFields.get(i), toBson(key.get(i)));
        }
        return id;
    }
}
