package io.tapflow.flink.connector;

import io.tapflow.flink.schema.TableSchema;
import java.io.Serializable;
import java.time.ZoneId;
import java.util.List;

/**
 * What a source inspection found: the tables' schemas and the zone in which the source's TIMESTAMP values are read;
 * and, for a source that selects tables by pattern, regular expressions over {@code namespace.table} that tables
 * created while the job runs must match for the change stream to capture them (a superset: the job applies the
 * patterns' exclusions itself); and {@code newTablesLimit}, when the source cannot capture such tables, or only some
 * of them or not from their creation: why, and what the user can grant to change that (null otherwise).
 * {@code unreadColumns} ({@code namespace.table.column}) are columns left out of the tables' schemas, which the
 * source must not read: the pipeline drops them in its first steps and tapflow cannot read their type.
 */
public record SourceTables(List<TableSchema> tables, ZoneId serverTimeZone, List<String> newTablePatterns,
                           String newTablesLimit, List<String> unreadColumns) implements Serializable {
    private static final long serialVersionUID = 1L;

    public SourceTables {
        tables = List.copyOf(tables);
        newTablePatterns = List.copyOf(newTablePatterns);
        unreadColumns = unreadColumns == null ? List.of() : List.copyOf(unreadColumns);
    }

    public SourceTables(List<TableSchema> tables, ZoneId serverTimeZone, List<String> newTablePatterns, String newTablesLimit) {
        this(tables, serverTimeZone, newTablePatterns, newTablesLimit, List.of());
    }

    /** The planned tables only. */
    public SourceTables(List<TableSchema> tables, ZoneId serverTimeZone) {
        this(tables, serverTimeZone, List.of(), null);
    }

    /** The planned tables, leaving out these columns ({@code namespace.table.column}). */
    public SourceTables(List<TableSchema> tables, ZoneId serverTimeZone, List<String> unreadColumns) {
        this(tables, serverTimeZone, List.of(), null, unreadColumns);
    }

    /** The same, capturing tables created later that match these patterns too. */
    public SourceTables capturingNew(List<String> qualifiedPatterns) {
        return capturingNew(qualifiedPatterns, null);
    }

    /** The same, capturing tables created later that match these patterns within a limit (null: none). */
    public SourceTables capturingNew(List<String> qualifiedPatterns, String limit) {
        return new SourceTables(tables, serverTimeZone, qualifiedPatterns, limit, unreadColumns);
    }

    /**
     * The change reader's table list: the planned tables and the patterns of tables created later. Debezium reads the
     * list comma-separated, so a pattern holding a comma widens the capture to the whole {@code namespace} (the job
     * drops the rows of tables its patterns do not select).
     */
    public List<String> captured(String namespace) {
        if (newTablePatterns.stream().anyMatch(p -> p.contains(","))) {
            return List.of(java.util.regex.Pattern.quote(namespace) + "\\..*");
        }
        List<String> list = new java.util.ArrayList<>(tables.stream().map(TableSchema::qualifiedName).toList());
        list.addAll(newTablePatterns);
        return List.copyOf(list);
    }
}
