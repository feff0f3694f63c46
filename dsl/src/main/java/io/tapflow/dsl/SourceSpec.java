package io.tapflow.dsl;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The tables a pipeline reads from one source datasource; a pipeline that unions several datasources has one each.
 *
 * @param query a SELECT whose result is read once instead of the tables' snapshot and changes (a snapshot-only read,
 *              see {@link Pipeline#readQuery}); then {@code tables} holds the one name the result goes by. Null for
 *              a table source.
 */
public record SourceSpec(String datasource, List<String> tables, @JsonInclude(JsonInclude.Include.NON_NULL) String query) {
    public SourceSpec {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }

    public SourceSpec(String datasource, List<String> tables) {
        this(datasource, tables, null);
    }

    /** Not a bean getter (is/get), so the JSON form carries only {@code query} itself. */
    public boolean hasQuery() {
        return query != null;
    }
}
