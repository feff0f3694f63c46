package io.tapflow.flink.schema;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the rows of one source table go: the target table name, the key fields that identify a row there, and the
 * columns it holds (the source columns plus fields added by steps, each with its source-side description).
 */
public record TargetTable(String sourceTable, String name, List<String> keyFields, List<Column> columns)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public TargetTable {
        keyFields = List.copyOf(keyFields);
        columns = List.copyOf(columns);
    }

    /** Each source table's target table, for looking up where an event goes by the table it carries. */
    public static Map<String, TargetTable> bySourceTable(List<TargetTable> tables) {
        return tables.stream().collect(Collectors.toMap(TargetTable::sourceTable, t -> t));
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }
}
