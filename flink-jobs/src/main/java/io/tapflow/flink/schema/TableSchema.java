package io.tapflow.flink.schema;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/** A source table's columns and primary key, read once before the job starts. */
public record TableSchema(String database, String table, List<Column> columns, List<String> primaryKey)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public TableSchema {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    /** {@code database.table}, the form change events carry. */
    public String qualifiedName() {
        return database + "." + table;
    }

    /** The problem of a key field (a pipeline's key(...), a script's pk=[...]) that this table has no column for. */
    public String missingKeyField(String field) {
        return "key field '" + field + "' is not a column of " + qualifiedName() + "; columns: "
                + String.join(", ", columns.stream().map(Column::name).toList())
                + " (the key names columns of the source table: a field a step adds cannot be part of it yet)";
    }

    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
