package io.tapflow.flink.connector;

import io.tapflow.flink.schema.TableSchema;
import java.io.Serializable;
import java.time.ZoneId;
import java.util.List;

/** What a source inspection found: the tables' schemas and the zone in which the source's TIMESTAMP values are read. */
public record SourceTables(List<TableSchema> tables, ZoneId serverTimeZone) implements Serializable {
    private static final long serialVersionUID = 1L;

    public SourceTables {
        tables = List.copyOf(tables);
    }
}
