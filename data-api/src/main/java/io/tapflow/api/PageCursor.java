package io.tapflow.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The opaque {@code next} cursor: the order it belongs to and the last row's values in that order, as base64url JSON.
 * Reading it back types every value by its column, exactly as a filter value is typed: a forged cursor can only
 * name a position, never change the query.
 */
final class PageCursor {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PageCursor() {}

    static String encode(String orderText, List<Object> values) {
        List<String> parts = new ArrayList<>();
        parts.add(orderText);
        for (Object v : values) {
            Object json = JsonValues.of(v);
            parts.add(json == null ? null : json instanceof BigDecimal d ? d.toPlainString() : String.valueOf(json));
        }
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(parts));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The typed values of a cursor made for this order, or a 400. */
    static List<Object> decode(String cursor, String orderText, List<Column> orderColumns) {
        List<?> parts;
        try {
            parts = JSON.readValue(Base64.getUrlDecoder().decode(cursor.getBytes(StandardCharsets.US_ASCII)), List.class);
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw ProblemException.badRequest("cursor is not one this API issued; pass the 'next' value of the previous page as is");
        }
        if (parts.size() != orderColumns.size() + 1 || !orderText.equals(parts.get(0))) {
            throw ProblemException.badRequest("cursor belongs to another order; keep 'order' the same while paging");
        }
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < orderColumns.size(); i++) {
            Object raw = parts.get(i + 1);
            Object typed = raw instanceof String s ? orderColumns.get(i).type().parse(s) : null;
            if (raw != null && typed == null) {
                throw ProblemException.badRequest("cursor is not one this API issued; pass the 'next' value of the previous page as is");
            }
            values.add(typed);
        }
        return values;
    }
}
