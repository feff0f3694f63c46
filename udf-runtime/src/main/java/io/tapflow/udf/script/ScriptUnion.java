package io.tapflow.udf.script;

import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.SourceSpec;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.TablePattern;
import io.tapflow.dsl.TableRef;
import io.tapflow.dsl.TableSelector;
import io.tapflow.dsl.TapflowException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.graalvm.polyglot.Value;

/**
 * TapFlow's {@code union()} for one Flow of a script: {@code read_from(A).js(a).union().read_from(B).js(b).union()}
 * reads A and B as one union (tapflow's {@code read_from(A, B)}), and each branch's own steps (between its
 * {@code read_from} and its {@code union()}) run on its tables' rows only; steps after the last {@code union()} run on
 * every row. tapflow runs one chain of steps after the union, so a branch step is scoped by the row's source table:
 * a {@code js} step passes other tables' rows on unchanged, a filter lets them through. Other branch steps have no
 * such form and are refused, naming what to do instead.
 */
final class ScriptUnion {
    /** Where the current branch's steps start. */
    private int branchStart;
    /** The tables the current branch's read_from named. */
    private List<SourceSpec> branch = List.of();
    /** Whether union() closed the branch, so that the next read_from adds a branch instead of replacing the tables. */
    private boolean closed;
    /** The step count when union() closed the branch: steps after it apply to every table. */
    private int stepsAtClose;
    /** Each table of the union by its bare name (as a scoped step tells rows apart), with its datasource. */
    private final Map<String, String> tables = new LinkedHashMap<>();
    /** The bare names of the tables that steps of their branch are scoped to. */
    private final Set<String> scoped = new HashSet<>();

    /**
     * {@code read_from(...)}: the first one (or one not after {@code union()}) reads the tables it names, as before;
     * one after {@code union()} adds its tables to the union as a new branch.
     */
    Pipeline readFrom(Pipeline p, Value[] args, BiFunction<Pipeline, Value[], Pipeline> reader) {
        if (!closed) {
            Pipeline next = reader.apply(p, args);
            tables.clear();
            scoped.clear();
            startBranch(p, next.sources());
            return next;
        }
        if (p.steps().size() > stepsAtClose) {
            throw new TapflowException("read_from(...) after union() and further steps: steps after union() run on every "
                    + "table of the union, so a new branch goes right after union(): .union().read_from('ds.t2').js(...).union()");
        }
        Pipeline added = reader.apply(p, args);
        if (added.sources().stream().anyMatch(SourceSpec::hasQuery)) {
            throw new TapflowException("read_from(..., query=...) cannot be a branch of union(): a query's read ends while "
                    + "the other tables stream; write the query's rows with a flow of their own");
        }
        startBranch(p, added.sources());
        List<TableSelector> all = new ArrayList<>(selectors(p.sources()));
        all.addAll(selectors(added.sources()));
        closed = false;
        return added.readFrom(all.toArray(TableSelector[]::new));
    }

    private void startBranch(Pipeline before, List<SourceSpec> sources) {
        branchStart = before.steps().size();
        branch = sources;
        for (SourceSpec s : sources) {
            for (String t : s.tables()) {
                String qualified = s.datasource() + "." + t;
                String other = tables.putIfAbsent(bare(t), qualified);
                if (other != null && !other.equals(qualified) && scoped.contains(bare(t))) {
                    throw sameName(t, other, qualified);
                }
            }
        }
    }

    /**
     * {@code union()}: closes the current branch, scoping its steps to its tables. {@code union('ds.table')} (or a
     * {@code Source}) also adds that table as a branch without steps of its own, as TapFlow's does.
     */
    Pipeline union(Pipeline p, Value[] args, BiFunction<Pipeline, Value[], Pipeline> reader) {
        if (p.sources().isEmpty()) {
            throw new TapflowException("union() follows a read_from(...): read_from('ds.t1').union().read_from('ds.t2').union()");
        }
        Pipeline next = close(p);
        if (args.length > 0 && !args[0].isNull()) {
            next = close(readFrom(next, new Value[] {args[0]}, reader));
        }
        return next;
    }

    private Pipeline close(Pipeline p) {
        if (closed) {
            return p;
        }
        List<Step> steps = new ArrayList<>(p.steps().subList(0, branchStart));
        List<Step> own = p.steps().subList(branchStart, p.steps().size());
        if (!own.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (SourceSpec s : branch) {
                if (s.hasPatterns()) {
                    throw new TapflowException("union(): a branch with steps of its own reads named tables, not a pattern ("
                            + String.join(", ", s.include()) + "); put the steps after union() to run them on every table");
                }
                for (String t : s.tables()) {
                    String qualified = s.datasource() + "." + t;
                    if (!tables.get(bare(t)).equals(qualified)) {
                        throw sameName(t, tables.get(bare(t)), qualified);
                    }
                    scoped.add(bare(t));
                    names.add(bare(t));
                }
            }
            for (Step step : own) {
                steps.add(scoped(step, names));
            }
        }
        closed = true;
        stepsAtClose = steps.size();
        return new Pipeline(p.name(), p.sources(), steps, p.target(), p.settings());
    }

    private static TapflowException sameName(String table, String one, String other) {
        return new TapflowException("union(): the branches read two tables named '" + bare(table) + "' (" + one + ", "
                + other + "), and a branch's own steps tell their rows apart by the table's name; give each its own "
                + "flow, or read both in one branch with the same steps");
    }

    private static Step scoped(Step step, List<String> tables) {
        String inBranch = "[" + tables.stream().map(ScriptUnion::jsString).collect(Collectors.joining(", "))
                + "].includes(table.slice(table.lastIndexOf('.') + 1))";
        // On the code's first line, so that an error's line number is still the one of the code as written.
        if (step instanceof Step.JsUdf js) {
            return new Step.JsUdf("if (!" + inBranch + ") return record; " + js.code());
        }
        if (step instanceof Step.Filter f) {
            return new Step.Filter(f.keep() ? "!" + inBranch + " || (" + f.expression() + ")"
                    : inBranch + " && (" + f.expression() + ")", f.keep());
        }
        throw new TapflowException("union(): a branch's own steps (between its read_from and union()) may be js(...) and "
                + "filter(...); " + describe(step) + " is not, as tapflow runs one chain of steps for the whole union: put "
                + "it after the last union() to run it on every table, or do it in the branch's js(...)");
    }

    private static String describe(Step step) {
        String type = step.getClass().getSimpleName();
        return switch (type) {
            case "PyUdf" -> "py(...)";
            case "AddField" -> "add_field(...)";
            case "IncludeFields" -> "include(...)";
            case "ExcludeFields" -> "exclude(...)";
            case "RenameFields" -> "rename_fields(...)";
            case "ChangeType" -> "change_type(...)";
            case "ValueMap" -> "value_map(...)";
            case "Unwind" -> "unwind(...)";
            case "RenameTables" -> "renameTable(...)";
            case "Lookup" -> "lookup(...)";
            default -> type;
        };
    }

    private static List<TableSelector> selectors(List<SourceSpec> sources) {
        List<TableSelector> out = new ArrayList<>();
        for (SourceSpec s : sources) {
            s.tables().forEach(t -> out.add(new TableRef(s.datasource(), t)));
            if (s.hasPatterns()) {
                out.add(new TablePattern(s.datasource(), s.include(), s.exclude()));
            }
        }
        return out;
    }

    /** A table name without its database or schema, as the row's {@code table} ends. */
    private static String bare(String table) {
        return table.substring(table.lastIndexOf('.') + 1);
    }

    private static String jsString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
