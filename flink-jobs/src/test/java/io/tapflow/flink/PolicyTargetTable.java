package io.tapflow.flink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows a target table should hold under a schema-change policy, as the README's policy table defines it, kept up
 * to date by a test from the source's rows and the DDL it makes. evolve: every change reaches the target (the table
 * equals the source); lenient: added and widened columns reach it, a dropped or renamed column stays (NULL in rows
 * written from then on; a renamed one's new name is a new column), a TRUNCATE is not applied; ignore: the columns
 * stay as they were planned (new ones not written, dropped ones NULL from then on), a TRUNCATE is not applied.
 */
final class PolicyTargetTable {
    private final String policy;
    private final List<String> columns;
    private final TreeMap<Long, Map<String, String>> rows = new TreeMap<>();

    PolicyTargetTable(String policy, List<String> columns) {
        this.policy = policy;
        this.columns = new ArrayList<>(columns);
    }

    /** A source row written (inserted or updated) from now on: the target row holds its values of the target's columns. */
    void written(Map<String, String> sourceRow) {
        Map<String, String> row = new LinkedHashMap<>();
        columns.forEach(c -> row.put(c, sourceRow.get(c)));
        rows.put(Long.parseLong(sourceRow.get("id")), row);
    }

    void deleted(String id) {
        rows.remove(Long.parseLong(id));
    }

    /** Target rows that existed get the source's constant DEFAULT ({@code null} for none), as the source's rows did. */
    void columnAdded(String name, String defaultValue) {
        if (!policy.equals("ignore")) {
            columns.add(name);
            rows.values().forEach(r -> r.put(name, defaultValue));
        }
    }

    void columnDropped(String name) {
        if (policy.equals("evolve")) {
            columns.remove(name);
            rows.values().forEach(r -> r.remove(name));
        }
    }

    void columnRenamed(String from, String to) {
        if (policy.equals("evolve")) {
            columns.set(columns.indexOf(from), to);
            rows.values().forEach(r -> {
                Map<String, String> renamed = new LinkedHashMap<>();
                r.forEach((k, v) -> renamed.put(k.equals(from) ? to : k, v));
                r.clear();
                r.putAll(renamed);
            });
        } else if (policy.equals("lenient")) {
            columnAdded(to, null);
        }
    }

    void truncated() {
        if (policy.equals("evolve")) {
            rows.clear();
        }
    }

    List<Map<String, String>> rows() {
        return List.copyOf(rows.values());
    }
}
