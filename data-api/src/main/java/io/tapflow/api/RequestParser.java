package io.tapflow.api;

import io.tapflow.dsl.api.ApiOperator;
import io.tapflow.dsl.api.ApiParam;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a request's query string into a {@link PageRequest}, or a 400 naming what is wrong and what is allowed.
 * Everything is checked before any query runs: names against the declared fields, every value against its column type.
 */
final class RequestParser {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final long MAX_OFFSET = 1_000_000;
    /** Longer values are refused: no declared type needs them, and they would only load the database. */
    static final int MAX_VALUE_LENGTH = 1000;
    static final int MAX_IN_VALUES = 100;

    private RequestParser() {}

    static PageRequest parse(PublishedApi api, Map<String, List<String>> query) {
        List<Condition> filters = new ArrayList<>();
        List<String> fields = api.api().fields();
        List<SortKey> order = new ArrayList<>();
        int limit = DEFAULT_LIMIT;
        long offset = 0;
        String cursor = null;
        boolean count = false;
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            String name = e.getKey();
            for (String value : e.getValue()) {
                if (value.length() > MAX_VALUE_LENGTH) {
                    throw ProblemException.badRequest("value of '" + shorten(name) + "' is " + value.length()
                            + " characters long; at most " + MAX_VALUE_LENGTH + " are allowed");
                }
            }
            String value = single(name, e.getValue(), api);
            switch (name) {
                case "fields" -> fields = fields(api, value);
                case "order" -> order = order(api, value);
                case "limit" -> limit = (int) number("limit", value, 1, MAX_LIMIT);
                case "offset" -> offset = number("offset", value, 0, MAX_OFFSET);
                case "cursor" -> cursor = value;
                case "count" -> {
                    if (!value.equals("exact")) {
                        throw ProblemException.badRequest("count must be 'exact', got '" + shorten(value) + "'");
                    }
                    count = true;
                }
                default -> {
                    for (String v : e.getValue()) {
                        filters.add(filterOrParam(api, name, v));
                    }
                }
            }
        }
        if (cursor != null && offset > 0) {
            throw ProblemException.badRequest("use either cursor (keyset paging) or offset, not both");
        }
        for (String k : api.key()) {
            if (order.stream().noneMatch(s -> s.field().equals(k))) {
                order.add(new SortKey(k, false)); // the key makes the order total, which keyset paging needs
            }
        }
        String orderText = order.stream().map(s -> s.field() + (s.descending() ? ".desc" : "")).collect(Collectors.joining(","));
        List<Object> after = cursor == null ? null
                : PageCursor.decode(cursor, orderText, order.stream().map(s -> api.column(s.field())).toList());
        return new PageRequest(fields, Condition.all(filters), order, orderText, limit, after, offset, count);
    }

    /** Repeating a filter means all of them ({@code ?balance=gte.1&balance=lte.9}); anything else must appear once. */
    private static String single(String name, List<String> values, PublishedApi api) {
        boolean filter = api.api().filterable().contains(name);
        if (values.size() > 1 && !filter) {
            throw ProblemException.badRequest("'" + shorten(name) + "' is given " + values.size() + " times; give it once");
        }
        return values.get(0);
    }

    private static Condition filterOrParam(PublishedApi api, String name, String value) {
        for (ApiParam p : api.api().params()) {
            if (p.name().equals(name)) {
                ApiOperator op = ApiOperator.of(p.op()).orElseThrow();
                return compare(api, p.field(), op, value, "parameter '" + name + "'");
            }
        }
        if (!api.api().filterable().contains(name)) {
            throw ProblemException.badRequest("unknown query parameter '" + shorten(name) + "'; allowed: " + allowedParameters(api));
        }
        int dot = value.indexOf('.');
        ApiOperator op = dot < 0 ? null : ApiOperator.of(value.substring(0, dot)).orElse(null);
        if (op == null) {
            throw ProblemException.badRequest("filter '" + name + "=" + shorten(value) + "' needs an operator, e.g. " + name
                    + "=eq.value; operators: " + ApiOperator.allowed());
        }
        String operand = value.substring(dot + 1);
        String what = "filter '" + name + "'";
        return switch (op) {
            case IS -> {
                if (operand.equals("null")) {
                    yield new Condition.IsNull(name, true);
                }
                if (operand.equals("not.null")) {
                    yield new Condition.IsNull(name, false);
                }
                throw ProblemException.badRequest(what + ": 'is' takes null or not.null, got '" + shorten(operand) + "'");
            }
            case IN -> in(api, name, operand, what);
            default -> compare(api, name, op, operand, what);
        };
    }

    private static Condition in(PublishedApi api, String field, String operand, String what) {
        if (!operand.startsWith("(") || !operand.endsWith(")") || operand.length() < 3) {
            throw ProblemException.badRequest(what + ": 'in' takes a list in parentheses, e.g. in.(DE,FR)");
        }
        String[] items = operand.substring(1, operand.length() - 1).split(",", -1);
        if (items.length > MAX_IN_VALUES) {
            throw ProblemException.badRequest(what + ": 'in' takes at most " + MAX_IN_VALUES + " values, got " + items.length);
        }
        List<Object> values = new ArrayList<>();
        for (String item : items) {
            values.add(typed(api, field, item, what));
        }
        return new Condition.In(field, values);
    }

    private static Condition compare(PublishedApi api, String field, ApiOperator op, String operand, String what) {
        if (op == ApiOperator.LIKE) {
            if (api.column(field).type() != ColumnType.STRING) {
                throw ProblemException.badRequest(what + ": 'like' works on text fields; '" + field + "' is "
                        + api.column(field).type().displayName());
            }
            return new Condition.Compare(field, op, operand);
        }
        return new Condition.Compare(field, op, typed(api, field, operand, what));
    }

    private static Object typed(PublishedApi api, String field, String raw, String what) {
        ColumnType type = api.column(field).type();
        Object value = type.comparable() ? type.parse(raw) : null;
        if (value == null) {
            throw ProblemException.badRequest(what + " must be " + type.displayName() + " (" + type.example() + "), got '"
                    + shorten(raw) + "'");
        }
        return value;
    }

    private static List<String> fields(PublishedApi api, String value) {
        Set<String> out = new LinkedHashSet<>();
        for (String f : value.split(",", -1)) {
            if (!api.api().fields().contains(f)) {
                throw ProblemException.badRequest("unknown field '" + shorten(f) + "' in fields; allowed: " + String.join(", ", api.api().fields()));
            }
            out.add(f);
        }
        return List.copyOf(out);
    }

    private static List<SortKey> order(PublishedApi api, String value) {
        List<SortKey> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        List<String> allowed = sortable(api);
        for (String term : value.split(",", -1)) {
            String field = term;
            boolean desc = false;
            if (term.endsWith(".desc") || term.endsWith(".asc")) {
                desc = term.endsWith(".desc");
                field = term.substring(0, term.lastIndexOf('.'));
            }
            if (!allowed.contains(field)) {
                throw ProblemException.badRequest("cannot order by '" + shorten(term) + "'; allowed: " + String.join(", ", allowed)
                        + ", each optionally followed by .asc or .desc");
            }
            if (!seen.add(field)) {
                throw ProblemException.badRequest("order names '" + field + "' twice");
            }
            out.add(new SortKey(field, desc));
        }
        return out;
    }

    static List<String> sortable(PublishedApi api) {
        Set<String> out = new LinkedHashSet<>(api.api().sortable());
        out.addAll(api.key());
        return List.copyOf(out);
    }

    private static long number(String name, String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(name + " must be a whole number from " + min + " to " + max + ", got '" + shorten(value) + "'");
        }
        if (n < min || n > max) {
            throw ProblemException.badRequest(name + " must be from " + min + " to " + max + ", got " + n);
        }
        return n;
    }

    static String allowedParameters(PublishedApi api) {
        List<String> names = new ArrayList<>(api.api().filterable());
        api.api().params().forEach(p -> names.add(p.name()));
        names.addAll(List.of("fields", "order", "limit", "cursor", "offset", "count"));
        return String.join(", ", names);
    }

    /** Echoing a request value back is useful, echoing a megabyte is not. */
    static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
