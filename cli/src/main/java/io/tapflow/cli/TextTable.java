package io.tapflow.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Prints rows as an aligned text table; long values are cut so that one row stays one line. */
public final class TextTable {
    static final int MAX_WIDTH = 40;

    private TextTable() {}

    public static void print(PrintWriter out, List<Map<String, String>> rows) {
        Set<String> header = new LinkedHashSet<>();
        rows.forEach(r -> header.addAll(r.keySet()));
        List<String> columns = new ArrayList<>(header);
        int[] widths = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = columns.get(i).length();
            for (Map<String, String> row : rows) {
                widths[i] = Math.max(widths[i], cell(row.get(columns.get(i))).length());
            }
        }
        line(out, widths, columns);
        for (Map<String, String> row : rows) {
            line(out, widths, columns.stream().map(c -> cell(row.get(c))).toList());
        }
    }

    private static void line(PrintWriter out, int[] widths, List<String> cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            b.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", cells.get(i)));
        }
        out.println(b.toString().stripTrailing());
    }

    /** A missing field (a document without it) prints empty; newlines would break the row. */
    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        String flat = value.replaceAll("\\s*\\R\\s*", " ");
        return flat.length() > MAX_WIDTH ? flat.substring(0, MAX_WIDTH - 3) + "..." : flat;
    }
}
