package io.tapflow.flink.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Column defaults that are plain constants, read from {@code information_schema.columns}: a quoted text or a number,
 * as MariaDB writes them ({@code 'd'}, {@code 7}) and PostgreSQL does (with a cast: {@code 'd'::character varying}).
 * Expressions ({@code current_timestamp()}, {@code nextval(...)}) are left out: they are not the same value in a target.
 */
public final class ConstantDefaults {
    private static final Pattern TEXT = Pattern.compile("'(?:[^'\\\\]|'')*'");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");
    private static final Pattern CAST = Pattern.compile("::[a-z ]+(?:\\(\\d+(?:,\\d+)?\\))?$");

    private ConstantDefaults() {}

    /** The constant, or null when the default is none, NULL or an expression. */
    public static String constant(String rawDefault) {
        if (rawDefault == null) {
            return null;
        }
        String value = CAST.matcher(rawDefault.trim()).replaceFirst("");
        return TEXT.matcher(value).matches() || NUMBER.matcher(value).matches() ? value : null;
    }

    /** The constant defaults of a table, by column. */
    public static Map<String, String> of(Connection c, String schema, String table) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name, column_default FROM information_schema.columns "
                + "WHERE table_schema = ? AND table_name = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String constant = constant(rs.getString(2));
                    if (constant != null) {
                        out.put(rs.getString(1), constant);
                    }
                }
            }
        }
        return out;
    }
}
