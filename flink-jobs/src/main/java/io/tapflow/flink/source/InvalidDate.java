package io.tapflow.flink.source;

/**
 * A MySQL date value with year, month or day 0 (such as {@code 0000-00-00}), as a source read it; {@link ZeroDateRule}
 * decides what it becomes before the event leaves the source. Never a row value.
 */
public record InvalidDate(String text) {}
