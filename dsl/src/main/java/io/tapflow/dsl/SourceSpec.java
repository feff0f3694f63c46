package io.tapflow.dsl;

import java.util.List;

/** The tables a pipeline reads, all from one datasource. */
public record SourceSpec(String datasource, List<String> tables) {
    public SourceSpec {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }
}
