package io.tapflow.flink.source.kafka;

import io.tapflow.flink.schema.Column;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Columns declared for a Kafka topic in the datasource, as SQL-like text: {@code id bigint not null, name varchar(50),
 * price decimal(10,2), paid_at timestamp(6)}. The types are tapflow's column types (MySQL's names), read from the
 * JSON forms of tapflow's value table by {@link KafkaColumnValues}.
 */
final class KafkaColumnDeclarations {
    static final String ALLOWED = "tinyint, smallint, int, bigint, decimal(p,s), float, double, boolean, char(n),"
            + " varchar(n), text, json, date, datetime(n), timestamp(n), time(n), blob";
    private static final Pattern ENTRY = Pattern.compile(
            "([A-Za-z_][A-Za-z0-9_$]*)\\s+([a-z]+)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?\\s*(not\\s+null)?",
            Pattern.CASE_INSENSITIVE);

    private KafkaColumnDeclarations() {}

    /** The declared columns; each entry that is not a column declaration adds a problem naming it. */
    static List<Column> parse(String declaration, List<String> problems) {
        List<Column> columns = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (String entry : entries(declaration)) {
            Matcher m = ENTRY.matcher(entry.strip());
            Column column = m.matches() ? column(m.group(1), m.group(2).toLowerCase(Locale.ROOT), number(m.group(3)),
                    number(m.group(4)), m.group(5) == null) : null;
            if (column == null) {
                problems.add("'" + entry.strip() + "' is not a column declaration such as 'price decimal(10,2) not null';"
                        + " types: " + ALLOWED);
            } else if (!names.add(column.name())) {
                problems.add("column '" + column.name() + "' is declared twice");
            } else {
                columns.add(column);
            }
        }
        if (columns.isEmpty() && problems.isEmpty()) {
            problems.add("no column is declared");
        }
        return columns;
    }

    /** The entries between top-level commas (those inside decimal(10,2) stay). */
    private static List<String> entries(String text) {
        List<String> entries = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0) {
                entries.add(text.substring(start, i));
                start = i + 1;
            }
        }
        entries.add(text.substring(start));
        return entries.stream().filter(e -> !e.isBlank()).toList();
    }

    private static int number(String text) {
        return text == null ? -1 : Integer.parseInt(text);
    }

    /** The column of a declared type, or null for a type or size tapflow does not take. */
    private static Column column(String name, String type, int size, int scale, boolean nullable) {
        return switch (type) {
            case "tinyint", "smallint", "int", "bigint", "float", "double", "text", "json", "date" -> size < 0
                    ? new Column(name, type, type.equals("text") ? "longtext" : type, -1, -1, -1, nullable, false) : null;
            case "integer" -> size < 0 ? new Column(name, "int", "int", -1, -1, -1, nullable, false) : null;
            case "boolean", "bool" -> size < 0 ? new Column(name, "boolean", "tinyint(1)", -1, -1, -1, nullable, false) : null;
            case "decimal", "numeric" -> size >= 1 && size <= 65 && scale <= Math.min(30, size)
                    ? new Column(name, "decimal", "decimal(" + size + "," + Math.max(0, scale) + ")", -1, size,
                            Math.max(0, scale), nullable, false) : null;
            case "char", "varchar" -> size >= 1 && size <= 65_535 && scale < 0
                    ? new Column(name, type, type + "(" + size + ")", size, -1, -1, nullable, false) : null;
            case "datetime", "timestamp", "time" -> size <= 6 && scale < 0
                    ? new Column(name, type, type + "(" + (size < 0 ? 6 : size) + ")", -1, size < 0 ? 6 : size, -1,
                            nullable, false) : null;
            case "blob" -> size < 0 ? new Column(name, "longblob", "longblob", -1, -1, -1, nullable, false) : null;
            default -> null;
        };
    }
}
