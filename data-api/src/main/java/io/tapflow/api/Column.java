package io.tapflow.api;

/** A column of a served table: its name, API type, whether it may be null, and the database's own type name. */
public record Column(String name, ColumnType type, boolean nullable, String databaseType) {
}
