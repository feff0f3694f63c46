package io.tapflow.dsl;

/** What {@code readFrom} takes: one named table ({@link TableRef}) or the tables regular expressions select ({@link TablePattern}). */
public sealed interface TableSelector permits TableRef, TablePattern {
    String datasource();
}
