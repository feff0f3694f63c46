package io.tapflow.flink.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The changes between two column lists. A rename cannot be seen in columns alone (MySQL's binlog and PostgreSQL's
 * relation messages give the new shape, not the statement): one column gone and one new column of the same type at
 * the same position count as a rename; anything else as drops and adds.
 */
public final class SchemaDiff {
    private SchemaDiff() {}

    public static List<SchemaChange> between(List<Column> before, List<Column> after) {
        Map<String, Column> old = before.stream().collect(Collectors.toMap(Column::name, Function.identity()));
        Map<String, Column> now = after.stream().collect(Collectors.toMap(Column::name, Function.identity()));
        List<Column> dropped = before.stream().filter(c -> !now.containsKey(c.name())).toList();
        List<Column> added = after.stream().filter(c -> !old.containsKey(c.name())).toList();
        List<SchemaChange> changes = new ArrayList<>();
        if (dropped.size() == 1 && added.size() == 1 && sameType(dropped.get(0), added.get(0))
                && before.indexOf(dropped.get(0)) == after.indexOf(added.get(0))) {
            changes.add(new SchemaChange.RenameColumn(dropped.get(0).name(), added.get(0).name()));
        } else {
            dropped.forEach(c -> changes.add(new SchemaChange.DropColumn(c.name())));
            added.forEach(c -> changes.add(new SchemaChange.AddColumn(c)));
        }
        for (Column c : after) {
            Column was = old.get(c.name());
            if (was != null && !sameType(was, c)) {
                changes.add(new SchemaChange.ModifyColumn(was, c));
            }
        }
        return changes;
    }

    private static boolean sameType(Column a, Column b) {
        return a.columnType().equals(b.columnType()) && a.nullable() == b.nullable();
    }
}
