package io.tapflow.flink.event;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The table names and column lists a job's change events carry, known when the job is planned: the source tables'
 * columns and keys, and the columns and keys the steps leave for each target table. {@link ChangeEventSerializer}
 * writes a row laid out like one of these as the layout's number and its values, so names cross task boundaries
 * once per job instead of once per row; any other row (a UDF that adds a field) is written with its names.
 */
public final class RowLayouts implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final RowLayouts NONE = new RowLayouts(List.of(), List.of());

    private final List<String> tables;
    private final List<List<String>> layouts;
    /** Which layouts each table's rows may follow, when built from a plan; null when restored from a snapshot. */
    private Map<String, List<List<String>>> grouping;
    private transient Map<String, Integer> tableIds;
    private transient String[][] names;
    /** Per table, the layouts its rows may have (a few), tried in order. */
    private transient Map<String, int[]> candidates;

    /**
     * @param tables  table names, as change events carry them
     * @param layouts column lists in row order; each table's candidates are the lists given for it in
     *                {@link #builder()}, or here all lists (for a snapshot restored without that grouping)
     */
    public RowLayouts(List<String> tables, List<List<String>> layouts) {
        this.tables = List.copyOf(tables);
        this.layouts = layouts.stream().map(List::copyOf).toList();
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<String> tables() {
        return tables;
    }

    public List<List<String>> layouts() {
        return layouts;
    }

    /** The table's number (from 0), or -1 for a table not planned. */
    int tableId(String table) {
        index();
        return tableIds.getOrDefault(table, -1);
    }

    String table(int id) {
        return tables.get(id);
    }

    /** The number of the layout the row follows exactly (same names, same order), or -1. */
    int layoutOf(String table, Map<String, Object> row) {
        index();
        int[] tried = candidates.get(table);
        if (tried == null) {
            return -1;
        }
        for (int id : tried) {
            if (follows(row, names[id])) {
                return id;
            }
        }
        return -1;
    }

    String[] names(int layout) {
        index();
        return names[layout];
    }

    private static boolean follows(Map<String, Object> row, String[] layout) {
        if (row.size() != layout.length) {
            return false;
        }
        int i = 0;
        for (String name : row.keySet()) {
            String expected = layout[i++];
            if (name != expected && !name.equals(expected)) {
                return false;
            }
        }
        return true;
    }

    private void index() {
        if (names != null) {
            return;
        }
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < tables.size(); i++) {
            ids.put(tables.get(i), i);
        }
        String[][] byId = layouts.stream().map(l -> l.toArray(String[]::new)).toArray(String[][]::new);
        Map<List<String>, Integer> layoutIndex = new HashMap<>();
        for (int i = 0; i < layouts.size(); i++) {
            layoutIndex.putIfAbsent(layouts.get(i), i);
        }
        int[] all = java.util.stream.IntStream.range(0, layouts.size()).toArray();
        Map<String, int[]> perTable = new HashMap<>();
        tables.forEach(t -> perTable.put(t, all));
        if (grouping != null) {
            grouping.forEach((t, lists) -> perTable.put(t, lists.stream().mapToInt(layoutIndex::get).distinct().toArray()));
        }
        tableIds = ids;
        candidates = perTable;
        names = byId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowLayouts other && tables.equals(other.tables) && layouts.equals(other.layouts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tables, layouts);
    }

    @Override
    public String toString() {
        return tables.size() + " tables, " + layouts.size() + " row layouts";
    }

    /** Collects the layouts of each table, each list once. */
    public static final class Builder {
        private final Map<String, List<List<String>>> byTable = new LinkedHashMap<>();

        public Builder add(String table, List<String> columns) {
            List<List<String>> lists = byTable.computeIfAbsent(table, t -> new ArrayList<>());
            if (!columns.isEmpty() && !lists.contains(columns)) {
                lists.add(List.copyOf(columns));
            }
            return this;
        }

        public RowLayouts build() {
            List<List<String>> all = new ArrayList<>();
            byTable.values().forEach(lists -> lists.stream().filter(l -> !all.contains(l)).forEach(all::add));
            RowLayouts layouts = new RowLayouts(new ArrayList<>(byTable.keySet()), all);
            layouts.grouping = new LinkedHashMap<>(byTable);
            return layouts;
        }
    }
}
