package io.tapflow.api;

/** One field of the order; backends put NULLs last in either direction, so that the keyset condition knows where they are. */
public record SortKey(String field, boolean descending) {
}
