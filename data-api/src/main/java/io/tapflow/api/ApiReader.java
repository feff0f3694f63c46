package io.tapflow.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Answers the read requests of one API: a page of rows with its {@code next} cursor, or one row by key. */
final class ApiReader {
    private ApiReader() {}

    static Map<String, Object> page(PublishedApi api, Map<String, List<String>> query, Runnable beforeQuery) {
        PageRequest req = RequestParser.parse(api, query);
        Condition where = req.after() == null ? req.filter() : Condition.all(List.of(req.filter(),
                Keyset.after(req.order(), req.after(), api.backend()::nullsFirst, f -> api.column(f).nullable())));
        Set<String> columns = new LinkedHashSet<>(req.fields());
        req.order().forEach(k -> columns.add(k.field()));
        // One row more than asked tells whether there is a next page without a second query.
        ReadQuery read = new ReadQuery(api.schema().table(), List.copyOf(columns), where, req.order(), req.limit() + 1, req.offset());
        beforeQuery.run();
        List<Map<String, Object>> rows = api.backend().find(api.schema(), read);
        boolean more = rows.size() > req.limit();
        if (more) {
            rows = rows.subList(0, req.limit());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", rows.stream().map(r -> render(r, req.fields())).toList());
        String next = null;
        if (more && req.offset() == 0) {
            Map<String, Object> last = rows.get(rows.size() - 1);
            List<Object> values = new ArrayList<>();
            req.order().forEach(k -> values.add(last.get(k.field())));
            next = PageCursor.encode(req.orderText(), values);
        }
        out.put("next", next);
        if (req.offset() > 0 || query.containsKey("offset")) {
            out.put("next_offset", more ? req.offset() + req.limit() : null);
        }
        if (req.count()) {
            beforeQuery.run();
            out.put("count", api.backend().count(api.schema(), req.filter()));
        }
        return out;
    }

    /** The row whose key is {@code keyText} (key fields' values joined by commas, in key order), or empty. */
    static Optional<Map<String, Object>> byKey(PublishedApi api, String keyText, Runnable beforeQuery) {
        if (keyText.length() > RequestParser.MAX_VALUE_LENGTH) {
            throw ProblemException.badRequest("key is " + keyText.length() + " characters long; at most "
                    + RequestParser.MAX_VALUE_LENGTH + " are allowed");
        }
        String[] parts = api.key().size() == 1 ? new String[] {keyText} : keyText.split(",", -1);
        if (parts.length != api.key().size()) {
            throw ProblemException.badRequest("key must be " + api.key().size() + " values (" + String.join(", ", api.key())
                    + ") separated by commas");
        }
        List<Condition> match = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String field = api.key().get(i);
            ColumnType type = api.column(field).type();
            Object value = type.parse(parts[i]);
            if (value == null) {
                throw ProblemException.badRequest("key field '" + field + "' must be " + type.displayName() + " (" + type.example()
                        + "), got '" + RequestParser.shorten(parts[i]) + "'");
            }
            match.add(new Condition.Compare(field, io.tapflow.dsl.api.ApiOperator.EQ, value));
        }
        List<SortKey> order = api.key().stream().map(k -> new SortKey(k, false)).toList();
        beforeQuery.run();
        List<Map<String, Object>> rows = api.backend().find(api.schema(),
                new ReadQuery(api.schema().table(), api.api().fields(), Condition.all(match), order, 1, 0));
        return rows.stream().findFirst().map(r -> render(r, api.api().fields()));
    }

    private static Map<String, Object> render(Map<String, Object> row, List<String> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach(f -> out.put(f, JsonValues.of(row.get(f))));
        return out;
    }
}
