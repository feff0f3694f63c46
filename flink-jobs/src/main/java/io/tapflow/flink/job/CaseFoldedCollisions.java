package io.tapflow.flink.job;

import io.tapflow.dsl.NameCase;
import io.tapflow.dsl.Step;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Source tables that only become one target table because a rename_tables step changed the case of their names
 * ({@code Invoice} and {@code invoice} both to {@code invoice}). That is an accident, not a union: a union names its
 * one target table as such (writeTo(ds.table("all")), or the same table read from several datasources), and those
 * have one name before the case change too.
 */
final class CaseFoldedCollisions {
    private final List<Step> steps;
    private final Map<String, Named> firstByTarget = new LinkedHashMap<>();

    CaseFoldedCollisions(List<Step> steps) {
        this.steps = steps;
    }

    /** The problem, if {@code label}'s table {@code initialName} collides with an earlier one at {@code targetName}. */
    String check(String label, String initialName, String targetName) {
        Named named = new Named(label, caseKept(initialName));
        Named first = firstByTarget.putIfAbsent(targetName, named);
        if (first == null || first.caseKept().equals(named.caseKept())) {
            return null;
        }
        return "source tables " + first.label() + " and " + label + " both go to target table " + targetName
                + " only because rename_tables changes the case of their names (" + first.caseKept() + ", "
                + named.caseKept() + "); leave one out (exclude or a narrower table list), or, for a union, name"
                + " the one target table with writeTo(ds.table(\"name\"))";
    }

    /** The target name the rename_tables steps give, without their case change. */
    private String caseKept(String name) {
        String out = name;
        for (Step step : steps) {
            if (step instanceof Step.RenameTables t) {
                out = new Step.RenameTables(t.prefix(), t.suffix(), NameCase.UNCHANGED).apply(out);
            }
        }
        return out;
    }

    private record Named(String label, String caseKept) {}
}
