package io.tapflow.dsl;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The tables of a datasource whose name matches one of the {@code include} regular expressions and none of the
 * {@code exclude} ones, e.g. {@code mysql.tables("shop\\.order_.*").except("shop\\.order_tmp")}. A regular expression
 * matches a whole name, qualified ({@code database.table}, for PostgreSQL {@code schema.table}) or bare ({@code table}).
 * Planning resolves the selection into the tables that exist then.
 */
public record TablePattern(String datasource, List<String> include, List<String> exclude) implements TableSelector {
    public TablePattern {
        include = include == null ? List.of() : List.copyOf(include);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }

    /** The same selection, leaving out the tables these regular expressions match. */
    public TablePattern except(String... regexes) {
        List<String> more = new java.util.ArrayList<>(exclude);
        more.addAll(List.of(regexes));
        return new TablePattern(datasource, include, more);
    }

    /** Whether the table, of the datasource's database (or schema) {@code namespace}, is selected. */
    public static boolean selects(List<String> include, List<String> exclude, String namespace, String table) {
        return matchesAny(include, namespace, table) && !matchesAny(exclude, namespace, table);
    }

    private static boolean matchesAny(List<String> regexes, String namespace, String table) {
        return regexes.stream().map(Pattern::compile)
                .anyMatch(p -> p.matcher(table).matches() || p.matcher(namespace + "." + table).matches());
    }

    /**
     * The include patterns as regular expressions over qualified names ({@code namespace.table}) alone, for change
     * readers that match those: each pattern once for the bare name behind the namespace, once as it is.
     */
    public static List<String> qualified(List<String> include, String namespace) {
        List<String> out = new java.util.ArrayList<>();
        for (String regex : include) {
            out.add(Pattern.quote(namespace) + "\\.(?:" + regex + ")");
            out.add("(?:" + regex + ")");
        }
        return List.copyOf(out);
    }

    /**
     * One regular expression over qualified names ({@code namespace.table}) that selects exactly the tables
     * {@link #selects} does for the tables of {@code namespace}, exclusions included (as negative lookaheads), for
     * change readers that take a list of names to include and no exclusions.
     */
    public static String qualifiedSelection(List<String> include, List<String> exclude, String namespace) {
        String prefix = Pattern.quote(namespace) + "\\.";
        String included = "(?:" + String.join("|", include) + ")";
        // Only the namespace's tables, even when a pattern such as .* would match another's qualified name.
        StringBuilder regex = new StringBuilder("(?=").append(prefix).append(")");
        if (!exclude.isEmpty()) {
            String excluded = "(?:" + String.join("|", exclude) + ")";
            regex.append("(?!").append(excluded).append("$)(?!").append(prefix).append(excluded).append("$)");
        }
        return regex.append("(?:").append(prefix).append(included).append("|").append(included).append(")").toString();
    }

    /** Why the regular expression cannot be used, or null if it can. */
    public static String syntaxProblem(String regex) {
        if (regex == null || regex.isBlank()) {
            return "a table pattern is blank";
        }
        try {
            Pattern.compile(regex);
            return null;
        } catch (PatternSyntaxException e) {
            return "table pattern '" + regex + "' is not a regular expression: " + e.getDescription() + " near position " + e.getIndex();
        }
    }

    @Override
    public String toString() {
        return datasource + ".tables(" + String.join(", ", include) + (exclude.isEmpty() ? "" : " except " + String.join(", ", exclude)) + ")";
    }
}
