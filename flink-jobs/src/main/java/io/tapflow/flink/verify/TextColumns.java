package io.tapflow.flink.verify;

import io.tapflow.flink.schema.Column;
import java.util.Set;

/** Which columns hold text, whose database order depends on a collation and must be asked for in binary order. */
final class TextColumns {
    private static final Set<String> TEXT = Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext",
            "enum", "set", "json");

    private TextColumns() {}

    /** @param column described in MySQL's type names, see {@link Column} */
    static boolean isText(Column column) {
        return TEXT.contains(column.dataType());
    }
}
