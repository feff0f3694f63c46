package io.tapflow.dsl.api;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The filter operators of a data API request, as written in a query string: {@code ?balance=gte.100}. */
public enum ApiOperator {
    EQ("eq"), NEQ("neq"), GT("gt"), GTE("gte"), LT("lt"), LTE("lte"), IN("in"), LIKE("like"), IS("is");

    private final String token;

    ApiOperator(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    public static Optional<ApiOperator> of(String token) {
        return Arrays.stream(values()).filter(o -> o.token.equals(token)).findFirst();
    }

    public static String allowed() {
        return Arrays.stream(values()).map(o -> o == IS ? "is.null" : o.token).collect(Collectors.joining(", "));
    }
}
