package io.tapflow.dsl;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;

/**
 * The tables a pipeline reads from one source datasource; a pipeline that unions several datasources has one each.
 * {@code tables} are named tables; {@code include}/{@code exclude} are regular expressions selecting more (see
 * {@link TablePattern}). In JSON, {@code "tables"} is a list of names, or an object {@code {"include": [...],
 * "exclude": [...], "names": [...]}} when there are patterns.
 *
 * @param query a SELECT whose result is read once instead of the tables' snapshot and changes (a snapshot-only read,
 *              see {@link Pipeline#readQuery}); then {@code tables} holds the one name the result goes by. Null for
 *              a table source.
 */
@JsonSerialize(using = SourceSpecJson.Writer.class)
@JsonDeserialize(using = SourceSpecJson.Reader.class)
public record SourceSpec(String datasource, List<String> tables, List<String> include, List<String> exclude, String query) {
    public SourceSpec {
        tables = tables == null ? List.of() : List.copyOf(tables);
        include = include == null ? List.of() : List.copyOf(include);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }

    /** Named tables only. */
    public SourceSpec(String datasource, List<String> tables) {
        this(datasource, tables, List.of(), List.of(), null);
    }

    /** Named tables and the tables the patterns select. */
    public SourceSpec(String datasource, List<String> tables, List<String> include, List<String> exclude) {
        this(datasource, tables, include, exclude, null);
    }

    /** The result of a SELECT, read once, under the name {@code name}. */
    public static SourceSpec query(String datasource, String name, String select) {
        return new SourceSpec(datasource, List.of(name), List.of(), List.of(), select);
    }

    /** Whether regular expressions select (some of) the tables, so that planning must list the datasource's tables. */
    public boolean hasPatterns() {
        return !include.isEmpty();
    }

    /** Whether the source is a query; not a bean getter (is/get), so JSON never sees it. */
    public boolean hasQuery() {
        return query != null;
    }

    /** The named tables, then the tables of {@code existing} the patterns select (each once, named ones first). */
    public List<String> resolve(String namespace, List<String> existing) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>(tables);
        existing.stream().filter(t -> TablePattern.selects(include, exclude, namespace, t)).forEach(out::add);
        return List.copyOf(out);
    }
}
