package io.tapflow.dsl;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Where a pipeline writes: a datasource, and either one named table or (when {@code table} is null) a table per
 * source table with the same name. {@code key} names the fields that identify a row; empty means the source primary key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TargetSpec(String datasource, String table, List<String> key) {
    public TargetSpec {
        key = key == null ? List.of() : List.copyOf(key);
    }

    /** The target table for a source table. */
    public String tableFor(String sourceTable) {
        return table != null ? table : sourceTable;
    }
}
