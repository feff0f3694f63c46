package io.tapflow.flink.job;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.HostNames;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Refuses a pipeline that writes into a table it reads (its target is its own source): each write would come back as a
 * change and be written again, for ever, and a step's output would overwrite the rows it was made from.
 */
final class SourceAsTarget {
    /** The options that say where a datasource's tables are; two datasources equal in all of them are one place. */
    private static final List<String> LOCATION = List.of("host", "port", "database", "schema", "uri", "hosts", "bootstrap-servers");

    private SourceAsTarget() {}

    static List<String> problems(List<JobPlan.Source> sources, DataSource target, List<TargetTable> targetTables) {
        Map<String, TargetTable> bySourceTable = TargetTable.bySourceTable(targetTables);
        return sources.stream()
                .filter(s -> s.query() == null && samePlace(s.datasource(), target)) // a query is read once: no loop
                .flatMap(s -> s.tables().tables().stream()
                        .filter(t -> bySourceTable.containsKey(t.qualifiedName())
                                && bySourceTable.get(t.qualifiedName()).name().equalsIgnoreCase(t.table()))
                        .map(t -> problem(s.datasource(), t, target)))
                .toList();
    }

    private static boolean samePlace(DataSource source, DataSource target) {
        return source.name().equals(target.name()) || LOCATION.stream().allMatch(key -> key.equals("host")
                ? HostNames.same(source.get(key), target.get(key)) : Objects.equals(source.get(key), target.get(key)));
    }

    private static String problem(DataSource source, TableSchema table, DataSource target) {
        String where = source.name().equals(target.name()) ? "datasource '" + target.name() + "'"
                : "datasource '" + source.name() + "' (target '" + target.name() + "' names the same database)";
        return "table " + table.qualifiedName() + " of " + where + " is both read and written: every row written would "
                + "come back as a change and be written again; write to another table (write_to('" + target.name() + "."
                + table.table() + "_copy')) or another datasource";
    }
}
