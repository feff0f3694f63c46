package io.tapflow.flink.connector;

import io.tapflow.flink.schema.TableSchema;
import java.io.Serializable;
import java.time.ZoneId;
import java.util.List;

/**
 * What a source inspection found: the tables' schemas and the zone in which the source's TIMESTAMP values are read;
 * and, for a source that selects tables by pattern, regular expressions over {@code namespace.table} that tables
 * created while the job runs must match for the change stream to capture them (a superset: the job applies the
 * patterns' exclusions itself).
 */
public record SourceTables(List<TableSchema> tables, ZoneId serverTimeZone, List<String> newTablePatterns)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public SourceTables {
        tables = List.copyOf(tables);
        newTablePatterns = List.copyOf(newTablePatterns);
    }

    /** The planned tables only. */
    public SourceTables(List<TableSchema> tables, ZoneId serverTimeZone) {
        this(tables, serverTimeZone, List.of());
    }

    /** The same, capturing tables created later that match these patterns too. */
    public SourceTables capturingNew(List<String> qualifiedPatterns) {
        return new SourceTables(tables, serverTimeZone, qualifiedPatterns);
    }
}
