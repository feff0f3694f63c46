package io.tapflow.dsl;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The problems of a pipeline's steps that can be seen without a database: missing names, empty lists, blank code,
 * repeated ids. Whether named fields exist is checked against the real source schema when the job is planned.
 */
final class StepValidator {
    private static final Pattern PYTHON_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private StepValidator() {}

    static List<String> problems(List<Step> steps) {
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String where = "step " + (i + 1) + " (" + step.id() + ")";
            problemsOf(step).forEach(p -> problems.add(where + " " + p));
            if (step instanceof Step.Lookup && steps.subList(0, i).stream().anyMatch(Step.Unwind.class::isInstance)) {
                problems.add(where + " comes after an unwind; a lookup embeds into the rows of a source table, so "
                        + "unwind after the lookups instead");
            }
            if (!ids.add(step.id())) {
                problems.add("step " + (i + 1) + " repeats step id '" + step.id() + "'; each step must be distinct");
            }
        }
        return problems;
    }

    private static List<String> problemsOf(Step step) {
        List<String> problems = new ArrayList<>();
        if (step instanceof Step.AddField add) {
            requireName(add.field(), "a field name", problems);
            if (add.value() == null) {
                problems.add("has no value");
            } else if (add.value() instanceof FieldValue.Expression e) {
                requireName(e.expression(), "an expression", problems);
            }
        } else if (step instanceof Step.Filter f) {
            requireName(f.expression(), "an expression", problems);
        } else if (step instanceof Step.IncludeFields inc) {
            requireNames(inc.fields(), problems);
        } else if (step instanceof Step.ExcludeFields exc) {
            requireNames(exc.fields(), problems);
        } else if (step instanceof Step.RenameFields r) {
            if (r.renames().isEmpty()) {
                problems.add("renames no field");
            }
            r.renames().forEach((from, to) -> {
                requireName(from, "a field to rename", problems);
                requireName(to, "a new name for field '" + from + "'", problems);
            });
        } else if (step instanceof Step.ChangeType c) {
            requireName(c.field(), "a field name", problems);
            if (c.to() == null) {
                problems.add("has no target type; allowed: " + java.util.Arrays.stream(FieldType.values()).map(FieldType::jsonName).toList());
            }
        } else if (step instanceof Step.ValueMap m) {
            requireName(m.field(), "a field name", problems);
            if (m.values().isEmpty()) {
                problems.add("maps no value");
            }
        } else if (step instanceof Step.Unwind u) {
            requireName(u.field(), "a field name", problems);
            requireName(u.indexField(), "an index field name", problems);
        } else if (step instanceof Step.RenameTables t) {
            if (t.prefix().isEmpty() && t.suffix().isEmpty() && t.nameCase() == NameCase.UNCHANGED) {
                problems.add("has neither a prefix, a suffix nor a case (lower, upper) to change names to");
            }
        } else if (step instanceof Step.JsUdf js) {
            requireName(js.code(), "JavaScript code", problems);
        } else if (step instanceof Step.Lookup lookup) {
            lookupProblems(lookup, problems);
        } else if (step instanceof Step.PyUdf py) {
            requireName(py.source(), "Python source", problems);
            if (py.function() == null || !PYTHON_IDENTIFIER.matcher(py.function()).matches()) {
                problems.add("names function '" + py.function() + "', which is not a Python identifier");
            }
        }
        return problems;
    }

    private static void lookupProblems(Step.Lookup lookup, List<String> problems) {
        requireName(lookup.datasource(), "a datasource to look up in", problems);
        requireName(lookup.table(), "a table to look up", problems);
        if (lookup.on().isEmpty()) {
            problems.add("joins on no field; give on(parentField, childField)");
        }
        lookup.on().forEach(j -> {
            requireName(j.parent(), "a field of the row that embeds", problems);
            requireName(j.child(), "a field of the looked-up row", problems);
        });
        if (lookup.as() == null && lookup.flattenPrefix() == null) {
            problems.add("says neither where to embed (as) nor how to flatten");
        } else if (lookup.as() != null && lookup.flattenPrefix() != null) {
            problems.add("both embeds as '" + lookup.as() + "' and flattens; choose one");
        }
        if (lookup.many() && lookup.flattenPrefix() != null) {
            problems.add("flattens an array of rows; flatten needs a lookup of one row");
        }
        if (!lookup.many() && !lookup.arrayKey().isEmpty()) {
            problems.add("has an array key but embeds one row; arrayKey belongs to lookupMany");
        }
        for (Step child : lookup.steps()) {
            if (child instanceof Step.Unwind || child instanceof Step.RenameTables) {
                problems.add("has a " + child.id() + " step for its looked-up rows; allowed there: field steps, "
                        + "filters, UDFs and lookups");
            }
        }
        problems(lookup.steps()).forEach(p -> problems.add("in its looked-up rows: " + p));
    }

    private static void requireNames(List<String> fields, List<String> problems) {
        if (fields.isEmpty()) {
            problems.add("names no field");
        }
        fields.forEach(f -> requireName(f, "a field name", problems));
    }

    /** A name or a piece of code that must not be blank. */
    private static void requireName(String value, String what, List<String> problems) {
        if (value == null || value.isBlank()) {
            problems.add("has no " + what.replaceFirst("^an? ", ""));
        }
    }
}
