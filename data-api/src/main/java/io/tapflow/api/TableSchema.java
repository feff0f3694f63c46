package io.tapflow.api;

import java.util.List;
import java.util.Map;

/** The columns (in table order) and primary key of a table or collection, as the database describes it. */
public record TableSchema(String table, Map<String, Column> columns, List<String> primaryKey) {
    public TableSchema {
        columns = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(columns));
        primaryKey = List.copyOf(primaryKey);
    }

    public Column column(String name) {
        return columns.get(name);
    }
}
