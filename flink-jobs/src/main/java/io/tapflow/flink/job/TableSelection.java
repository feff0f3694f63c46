package io.tapflow.flink.job;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.InvalidDefinitionException;
import io.tapflow.dsl.SourceSpec;
import io.tapflow.dsl.TablePattern;
import io.tapflow.flink.connector.SourceFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves a source's table patterns into the tables that exist on the server now. A pattern that selects nothing is
 * an error (a typo would otherwise run a pipeline that reads nothing), reported with the tables there are.
 */
final class TableSelection {
    private TableSelection() {}

    static List<String> resolve(SourceSpec source, DataSource ds, SourceFactory factory) {
        String namespace = factory.namespace(ds);
        List<String> existing = factory.listTables(ds);
        List<String> problems = new ArrayList<>();
        for (String regex : source.include()) {
            if (existing.stream().noneMatch(t -> TablePattern.selects(List.of(regex), source.exclude(), namespace, t))) {
                problems.add("no table of " + namespace + " matches '" + regex + "'"
                        + (source.exclude().isEmpty() ? "" : " (leaving out " + String.join(", ", source.exclude()) + ")")
                        + "; a pattern matches the whole name, " + namespace + ".table or table; tables in " + namespace + ": "
                        + (existing.isEmpty() ? "(none)" : String.join(", ", existing.stream().sorted().toList())));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException("source datasource '" + ds.name() + "'", problems);
        }
        return source.resolve(namespace, existing.stream().sorted().toList());
    }
}
