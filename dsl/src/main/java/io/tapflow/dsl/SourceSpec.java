package io.tapflow.dsl;

import java.util.List;

/** The tables a pipeline reads from one source datasource; a pipeline that unions several datasources has one each. */
public record SourceSpec(String datasource, List<String> tables) {
    public SourceSpec {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }
}
