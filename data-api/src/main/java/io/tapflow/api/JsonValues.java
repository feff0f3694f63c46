package io.tapflow.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * A database value as the JSON value an API returns, exactly: whole numbers and decimals as JSON numbers with every
 * digit and the column's scale ({@code 12.50} stays {@code 12.50}; the writer prints BigDecimal plainly), doubles
 * in their shortest exact form (NaN and infinities, which JSON lacks, as the strings "NaN", "Infinity", "-Infinity"),
 * dates and times as ISO-8601 text, instants in UTC with a Z, binary as base64.
 */
public final class JsonValues {
    /** Reads JSON keeping every number's digits (a decimal stays a BigDecimal, never a double). */
    static final ObjectMapper EXACT_JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private JsonValues() {}

    public static Object of(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Integer
                || v instanceof Short || v instanceof BigDecimal || v instanceof BigInteger) {
            return v;
        }
        if (v instanceof Byte b) {
            return b.intValue();
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? v : String.valueOf(d);
        }
        if (v instanceof OffsetDateTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC).toString();
        }
        if (v instanceof Temporal t) {
            return t.toString();
        }
        if (v instanceof Date d) {
            return d.toInstant().toString();
        }
        if (v instanceof Decimal128 d) {
            return d.isNaN() || d.isInfinite() ? d.toString() : d.bigDecimalValue();
        }
        if (v instanceof ObjectId id) {
            return id.toHexString();
        }
        if (v instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (v instanceof org.bson.types.Binary b) {
            return Base64.getEncoder().encodeToString(b.getData());
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, value) -> out.put(String.valueOf(k), of(value)));
            return out;
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(item -> out.add(of(item)));
            return out;
        }
        return v.toString(); // e.g. PostgreSQL json, uuid, interval: their own text form
    }
}
