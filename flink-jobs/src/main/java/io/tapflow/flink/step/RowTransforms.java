package io.tapflow.flink.step;

import io.tapflow.dsl.FieldType;
import io.tapflow.dsl.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The field transforms of the no-code steps that need no guest code: include, exclude, rename, value map, change type. */
public final class RowTransforms {
    private RowTransforms() {}

    /** The transform for a step, or null when the step is not a plain field transform. */
    public static RowTransform of(Step step) {
        if (step instanceof Step.IncludeFields inc) {
            Set<String> keep = new LinkedHashSet<>(inc.fields());
            return row -> row.keySet().retainAll(keep);
        }
        if (step instanceof Step.ExcludeFields exc) {
            List<String> drop = new ArrayList<>(exc.fields());
            return row -> drop.forEach(row::remove);
        }
        if (step instanceof Step.RenameFields r) {
            Map<String, String> renames = new LinkedHashMap<>(r.renames());
            return row -> rename(row, renames);
        }
        if (step instanceof Step.ValueMap m) {
            String field = m.field();
            Map<String, String> values = new LinkedHashMap<>(m.values());
            return row -> {
                if (row.containsKey(field) && row.get(field) != null) {
                    String text = String.valueOf(TypeConversions.convert(row.get(field), FieldType.STRING, field));
                    row.put(field, values.getOrDefault(text, text));
                }
            };
        }
        if (step instanceof Step.ChangeType c) {
            String field = c.field();
            FieldType to = c.to();
            return row -> {
                if (row.containsKey(field)) {
                    row.put(field, TypeConversions.convert(row.get(field), to, field));
                }
            };
        }
        return null;
    }

    /** Renames in place, keeping column order: a renamed field stays where it was. */
    private static void rename(Map<String, Object> row, Map<String, String> renames) {
        if (renames.keySet().stream().noneMatch(row::containsKey)) {
            return;
        }
        Map<String, Object> renamed = new LinkedHashMap<>();
        row.forEach((k, v) -> renamed.put(renames.getOrDefault(k, k), v));
        row.clear();
        row.putAll(renamed);
    }
}
