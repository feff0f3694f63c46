package io.tapflow.dsl.api;

/**
 * A declared query parameter of an API, e.g. {@code min_balance} compared with {@code gte} to the field {@code balance}:
 * {@code ?min_balance=100} then means {@code balance >= 100}, typed by the field's column type.
 */
public record ApiParam(String name, String field, String op) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
}
