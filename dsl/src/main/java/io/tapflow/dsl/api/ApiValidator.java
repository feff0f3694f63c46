package io.tapflow.dsl.api;

import io.tapflow.dsl.InvalidDefinitionException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of an API definition that need no database: names, and that filterable, sortable, parameter and key
 * fields are among the declared fields. The data-api module adds the checks against the datasource and table.
 */
public final class ApiValidator {
    /** API, field and parameter names: they appear in URLs, so letters, digits, '_' and '-' only. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,62}");
    /** Names the query string uses for itself, which a parameter may not take. */
    public static final Set<String> RESERVED = Set.of("fields", "order", "limit", "offset", "cursor", "count");

    private ApiValidator() {}

    public static void validate(Api api) {
        List<String> problems = problems(api);
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException("api '" + api.name() + "'", problems);
        }
    }

    public static List<String> problems(Api api) {
        List<String> problems = new ArrayList<>();
        if (api.name() == null || !NAME.matcher(api.name()).matches() || api.name().equals("changes")) {
            problems.add("name '" + api.name() + "' is not allowed; use a letter or '_', then letters, digits, '_' and '-' (at most 63)");
        }
        if (api.datasource() == null || api.table() == null) {
            problems.add("no table: call read_from('datasource.table')");
        }
        if (api.fields().isEmpty()) {
            problems.add("no fields: call fields('id', ...) with the fields the API returns");
        }
        Set<String> seen = new HashSet<>();
        for (String field : api.fields()) {
            if (field == null || !NAME.matcher(field).matches()) {
                problems.add("field name '" + field + "' is not allowed; use letters, digits, '_' and '-'");
            } else if (!seen.add(field)) {
                problems.add("field '" + field + "' is listed twice");
            }
        }
        declared(api, "filterable", api.filterable(), problems);
        declared(api, "sortable", api.sortable(), problems);
        declared(api, "key", api.key(), problems);
        Set<String> paramNames = new HashSet<>();
        for (ApiParam p : api.params()) {
            if (p.name() == null || !NAME.matcher(p.name()).matches() || RESERVED.contains(p.name())) {
                problems.add("parameter name '" + p.name() + "' is not allowed; use letters, digits, '_' and '-', not one of " + RESERVED);
            } else if (api.fields().contains(p.name()) || !paramNames.add(p.name())) {
                problems.add("parameter '" + p.name() + "' clashes with a field or another parameter of the same name");
            }
            if (!api.fields().contains(p.field())) {
                problems.add("parameter '" + p.name() + "' filters field '" + p.field() + "', which is not among the fields " + api.fields());
            }
            var op = ApiOperator.of(p.op());
            if (op.isEmpty() || op.get() == ApiOperator.IN || op.get() == ApiOperator.IS) {
                problems.add("parameter '" + p.name() + "' has operator '" + p.op() + "'; allowed: eq, neq, gt, gte, lt, lte, like");
            }
        }
        if (api.updatedColumn() != null && api.changesFrom() != null) {
            problems.add("changes_by('" + api.updatedColumn() + "') and changes_from('" + api.changesFrom()
                    + "') both define the change stream; keep one");
        }
        return problems;
    }

    private static void declared(Api api, String what, List<String> names, List<String> problems) {
        for (String name : names) {
            if (!api.fields().contains(name)) {
                problems.add(what + " field '" + name + "' is not among the fields " + api.fields());
            }
        }
    }
}
