package io.tapflow.udf.script;

import io.tapflow.dsl.Lookups;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.TableRef;
import io.tapflow.dsl.TapflowException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.graalvm.polyglot.Value;

/**
 * {@code Flow.lookup(...)} and {@code Flow.lookup_many(...)} of a script, as {@link Step.Lookup} steps. Two spellings:
 * <ul>
 * <li>TapFlow's, as its data-flow reference and wide-table tutorial write it:
 *     {@code lookup(source, path='', type='object', arrayKeys=[], relation=[[child_field, parent_field]], query=None,
 *     **child_steps)}, also with its reference's names {@code embed_path}, {@code embed_type} and {@code includes}. An
 *     empty path merges the looked-up fields into the row itself (TapFlow's README shows them at the document's root),
 *     which is tapflow's {@code flatten('')}; a path {@code 'items.product'} embeds into each element of the lookup
 *     at {@code 'items'} (nesting), and that lookup's fields may then be written {@code 'items.product_id'}, on either
 *     side of a relation pair (TapFlow's tutorial writes it first).</li>
 * <li>tapflow's, the Java chain's words: {@code lookup(source, on=['customer_id', 'id'], as_='customer')},
 *     {@code flatten='customer_'}, {@code lookup_many(source, on=..., as_='items', array_key=['item_id'])};
 *     {@code on} pairs are (parent field, child field), as {@link Lookups#on} takes them.</li>
 * </ul>
 * The source is {@code 'datasource.table'} or a {@code Flow} that reads one table and gives the looked-up rows their
 * own steps (its own lookups nest). Keyword arguments {@code filter}, {@code fields}, {@code include}, {@code exclude},
 * {@code rename}, {@code js} and {@code py} add steps for the looked-up rows, in the order given, as TapFlow does.
 */
final class ScriptLookups {
    /** Keyword arguments of {@code lookup}; the first six ({@code source} to {@code query}) may also be given by position. */
    static final List<String> LOOKUP_PARAMETERS = List.of("*source", "source", "path", "type", "arrayKeys", "relation", "query",
            "embed_path", "embed_type", "includes", "filter", "fields", "include", "exclude", "rename", "js", "py",
            "mapper", "adjust_time", "type_adjust", "on", "as_", "flatten", "array_key");
    /** Keyword arguments of {@code lookup_many}; the first four ({@code source} to {@code array_key}) may also be given by position. */
    static final List<String> LOOKUP_MANY_PARAMETERS = List.of("*source", "source", "on", "as_", "array_key", "filter", "fields",
            "include", "exclude", "rename", "js", "py");
    private static final List<String> TAPFLOW_POSITIONS = List.of("source", "path", "type", "arrayKeys", "relation", "query");
    private static final List<String> MANY_POSITIONS = List.of("source", "on", "as_", "array_key");
    private static final List<String> TAPFLOW_WORDS = List.of("path", "type", "arrayKeys", "relation", "embed_path", "embed_type");
    private static final List<String> TAPFLOW_STEPS_NOT_SUPPORTED = List.of("mapper", "adjust_time", "type_adjust");

    private final Function<String, TableRef> tables;
    private final Function<Value, Pipeline> flows;
    private final BiFunction<Pipeline, Value, Pipeline> python;

    /**
     * @param tables resolves {@code 'datasource.table'}
     * @param flows the pipeline a script's {@code Flow} object holds, or null when the value is none
     * @param python adds a {@code py(function)} step
     */
    ScriptLookups(Function<String, TableRef> tables, Function<Value, Pipeline> flows, BiFunction<Pipeline, Value, Pipeline> python) {
        this.tables = tables;
        this.flows = flows;
        this.python = python;
    }

    Pipeline lookup(Pipeline p, Value[] a) {
        Map<String, Value> args = arguments(a, TAPFLOW_POSITIONS, LOOKUP_PARAMETERS, "lookup");
        for (String name : TAPFLOW_STEPS_NOT_SUPPORTED) {
            if (args.containsKey(name)) {
                throw new TapflowException("lookup(" + name + "=...) is not supported: tapflow has no such step for looked-up "
                        + "rows; use js=... or py=... (or a Flow source with its own steps)");
            }
        }
        boolean tapflowWords = TAPFLOW_WORDS.stream().anyMatch(args::containsKey);
        boolean javaWords = List.of("on", "as_", "flatten", "array_key").stream().anyMatch(args::containsKey);
        if (tapflowWords && javaWords) {
            throw new TapflowException("lookup(): give TapFlow's path/type/relation or tapflow's on/as_/flatten, not both");
        }
        Pipeline rows = rows(args, "lookup");
        if (javaWords) {
            return javaStyle(p, rows, args);
        }
        return tapflowStyle(p, rows, args);
    }

    Pipeline lookupMany(Pipeline p, Value[] a) {
        Map<String, Value> args = arguments(a, MANY_POSITIONS, LOOKUP_MANY_PARAMETERS, "lookup_many");
        Pipeline rows = rows(args, "lookup_many");
        return p.lookupMany(rows, on(args, "lookup_many"), Lookups.as(required(args, "as_", "lookup_many(source, on=..., as_=...)")),
                Lookups.arrayKey(strings(args.get("array_key"), "lookup_many(array_key=...)").toArray(String[]::new)));
    }

    private Pipeline javaStyle(Pipeline p, Pipeline rows, Map<String, Value> args) {
        if (args.containsKey("array_key")) {
            throw new TapflowException("lookup(array_key=...) orders the elements of an array; use lookup_many(...) for an array");
        }
        String as = text(args.get("as_"), "lookup(as_=...)");
        String flatten = text(args.get("flatten"), "lookup(flatten=...)");
        if ((as == null) == (flatten == null)) {
            throw new TapflowException("lookup(source, on=...): give as_='field' (embed) or flatten='prefix_' (add the fields), one of them");
        }
        return p.lookup(rows, on(args, "lookup"), as != null ? Lookups.as(as) : Lookups.flatten(flatten));
    }

    private Pipeline tapflowStyle(Pipeline p, Pipeline rows, Map<String, Value> args) {
        String path = either(args, "path", "embed_path");
        String type = type(args);
        List<String> arrayKeys = strings(args.get("arrayKeys"), "lookup(arrayKeys=...)");
        Value relation = args.get("relation");
        if (relation == null || relation.isNull()) {
            throw new TapflowException("lookup() needs relation=[[child_field, parent_field], ...]: the fields of the "
                    + "looked-up table and of the row that must be equal");
        }
        path = path == null ? "" : path;
        boolean many = type.equals("array");
        if (!many && !arrayKeys.isEmpty()) {
            throw new TapflowException("lookup(arrayKeys=...) orders the elements of an array; it needs type='array'");
        }
        if (many && path.isEmpty()) {
            throw new TapflowException("lookup(type='array') needs a path: the field the array of looked-up rows becomes");
        }
        int dot = path.lastIndexOf('.');
        String enclosing = dot < 0 ? "" : path.substring(0, dot);
        String field = path.substring(dot + 1);
        if (dot >= 0 && field.isEmpty()) {
            throw new TapflowException("lookup(path='" + path + "'): the path ends with '.'; name the field to embed as");
        }
        Lookups.On on = null;
        for (List<String> pair : pairs(relation, "lookup(relation=[[child_field, parent_field], ...])")) {
            boolean parentFirst = writtenWithPath(pair.get(0), enclosing) && !writtenWithPath(pair.get(1), enclosing);
            String child = parentFirst ? pair.get(1) : pair.get(0);
            String parent = parentField(parentFirst ? pair.get(0) : pair.get(1), enclosing, path);
            on = on == null ? Lookups.on(parent, child) : on.and(parent, child);
        }
        Pipeline one = Pipeline.named(p.name());
        one = many ? one.lookupMany(rows, on, Lookups.as(field), Lookups.arrayKey(arrayKeys.toArray(String[]::new)))
                : one.lookup(rows, on, field.isEmpty() ? Lookups.flatten("") : Lookups.as(field));
        Step.Lookup lookup = (Step.Lookup) one.steps().get(0);
        if (enclosing.isEmpty()) {
            return p.withStep(lookup);
        }
        return new Pipeline(p.name(), p.sources(), nest(p.steps(), enclosing, enclosing, lookup), p.target(), p.settings());
    }

    /**
     * Whether a nested lookup's relation field is written with the enclosing path ({@code 'order_items.product_id'}),
     * which makes it a field of the enclosing lookup's rows on whichever side of the pair it stands: TapFlow's
     * wide-table tutorial puts it first ({@code [["order_items.product_id", "product_id"]]}), the other way round from
     * the [child_field, parent_field] of its top-level lookups.
     */
    private static boolean writtenWithPath(String field, String enclosing) {
        return !enclosing.isEmpty() && field.startsWith(enclosing + ".");
    }

    /**
     * A relation's parent field: in a nested lookup TapFlow writes it with the enclosing path
     * ({@code 'order_items.product_id'}); the model names it as a field of the enclosing lookup's rows.
     */
    private static String parentField(String field, String enclosing, String path) {
        if (!enclosing.isEmpty() && field.startsWith(enclosing + ".")) {
            return field.substring(enclosing.length() + 1);
        }
        if (field.contains(".")) {
            throw new TapflowException("lookup(path='" + path + "', relation=...): parent field '" + field + "' is a path; "
                    + (enclosing.isEmpty() ? "a lookup at the top joins on fields of the row itself"
                    : "here it is a field of the rows embedded at '" + enclosing + "' (written '" + enclosing + ".field' or 'field')"));
        }
        return field;
    }

    /** The steps with {@code lookup} added to the steps of the lookup that embeds at {@code enclosing} (dotted). */
    private static List<Step> nest(List<Step> steps, String enclosing, String fullPath, Step.Lookup lookup) {
        int dot = enclosing.indexOf('.');
        String head = dot < 0 ? enclosing : enclosing.substring(0, dot);
        List<Step> out = new ArrayList<>(steps);
        for (int i = out.size() - 1; i >= 0; i--) {
            if (out.get(i) instanceof Step.Lookup l && head.equals(l.as())) {
                List<Step> inner = dot < 0 ? plus(l.steps(), lookup) : nest(l.steps(), enclosing.substring(dot + 1), fullPath, lookup);
                out.set(i, new Step.Lookup(l.datasource(), l.table(), l.on(), l.as(), l.many(), l.arrayKey(), l.flattenPrefix(), inner));
                return out;
            }
        }
        throw new TapflowException("lookup(path='" + fullPath + "." + lookup.as() + "'): a dotted path embeds into the rows of an "
                + "earlier lookup at '" + fullPath + "', and there is none; look up '" + fullPath + "' first");
    }

    private static List<Step> plus(List<Step> steps, Step step) {
        List<Step> out = new ArrayList<>(steps);
        out.add(step);
        return out;
    }

    /** The looked-up rows: the source's table (or the source Flow's), with the steps the keyword arguments add. */
    private Pipeline rows(Map<String, Value> args, String call) {
        Value source = args.get("source");
        if (source == null || source.isNull()) {
            throw new TapflowException(call + "() needs a source: 'datasource.table' or a Flow reading one table");
        }
        Pipeline rows = flows.apply(source);
        if (rows == null) {
            if (!source.isString()) {
                throw new TapflowException(call + "(source): the source must be 'datasource.table' or a Flow, got " + source);
            }
            rows = Lookups.rows(tables.apply(source.asString()));
        } else if (rows.target() != null) {
            throw new TapflowException(call + "(source): the Flow '" + rows.name() + "' writes to a target; a lookup's Flow "
                    + "only reads one table and gives its rows steps");
        }
        String query = text(args.get("query"), call + "(query=...)");
        if (query != null) {
            rows = query(rows, query, call);
        }
        for (Map.Entry<String, Value> e : args.entrySet()) {
            rows = childStep(rows, e.getKey(), e.getValue(), call);
        }
        return rows;
    }

    /** TapFlow's {@code query=} of a lookup: only a filter of the table (and its columns) keeps it a live lookup. */
    private static Pipeline query(Pipeline rows, String query, String call) {
        String table = rows.sources().isEmpty() || rows.sources().get(0).tables().isEmpty() ? "" : rows.sources().get(0).tables().get(0);
        SourceQuery q = SourceQuery.parseFilter(query, table);
        if (q == null) {
            throw new TapflowException(call + "(query=...): a lookup follows its table's changes, so its query can only "
                    + "filter that table (SELECT columns FROM " + table + " WHERE condition); got: " + query);
        }
        Pipeline next = q.filter() == null ? rows : rows.filter(q.filter());
        return q.columns().isEmpty() ? next : next.include(q.columns().toArray(String[]::new));
    }

    private Pipeline childStep(Pipeline rows, String name, Value v, String call) {
        String what = call + "(" + name + "=...)";
        return switch (name) {
            case "filter" -> rows.filter(TapflowConditions.javaScript(text(v, what), what));
            case "fields", "include" -> rows.include(strings(v, what).toArray(String[]::new));
            case "includes" -> rows.include(includes(v, what));
            case "exclude" -> rows.exclude(strings(v, what).toArray(String[]::new));
            case "rename" -> rows.renameFields(ScriptArgs.map(new Value[] {v}, 0, what));
            case "js" -> rows.js(text(v, what));
            case "py" -> python.apply(rows, v);
            default -> rows;
        };
    }

    /** TapFlow's reference: "fields to include, separated by commas"; a list works too. */
    private static String[] includes(Value v, String what) {
        List<String> fields = v.isString() ? Arrays.stream(v.asString().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList()
                : strings(v, what);
        return fields.toArray(String[]::new);
    }

    private static String type(Map<String, Value> args) {
        Value v = args.containsKey("type") ? args.get("type") : args.get("embed_type");
        if (args.containsKey("type") && args.containsKey("embed_type")) {
            throw new TapflowException("lookup(): type and embed_type say the same; give one");
        }
        if (v == null || v.isNull()) {
            return "object";
        }
        // TapFlow's first releases took the Python types: type=dict, type=list.
        String name = v.isMetaObject() ? v.getMetaSimpleName() : v.isString() ? v.asString() : v.toString();
        return switch (name) {
            case "object", "dict" -> "object";
            case "array", "list" -> "array";
            default -> throw new TapflowException("lookup(type='" + name + "') is not a type; use 'object' (one row, or its "
                    + "fields merged into the row when the path is empty) or 'array' (every matching row)");
        };
    }

    private static String either(Map<String, Value> args, String name, String alias) {
        if (args.containsKey(name) && args.containsKey(alias)) {
            throw new TapflowException("lookup(): " + name + " and " + alias + " say the same; give one");
        }
        return text(args.containsKey(name) ? args.get(name) : args.get(alias), "lookup(" + name + "=...)");
    }

    /** {@code on=['parent', 'child']} or {@code on=[['p1', 'c1'], ['p2', 'c2']]}. */
    private static Lookups.On on(Map<String, Value> args, String call) {
        Value v = args.get("on");
        String what = call + "(on=[parent_field, child_field] or [[parent_field, child_field], ...])";
        if (v == null || v.isNull()) {
            throw new TapflowException(call + "() needs on=[parent_field, child_field]: the field of this row and the field "
                    + "of the looked-up row that must be equal");
        }
        List<List<String>> pairs = v.hasArrayElements() && v.getArraySize() > 0 && v.getArrayElement(0).isString()
                ? List.of(strings(v, what)) : pairs(v, what);
        Lookups.On on = null;
        for (List<String> pair : pairs) {
            if (pair.size() != 2) {
                throw new TapflowException(what + ": each pair names two fields, got " + pair);
            }
            on = on == null ? Lookups.on(pair.get(0), pair.get(1)) : on.and(pair.get(0), pair.get(1));
        }
        return on;
    }

    private static List<List<String>> pairs(Value v, String what) {
        List<List<String>> rows = ScriptArgs.rows(new Value[] {v}, 0, 2, what);
        if (rows.isEmpty()) {
            throw new TapflowException(what + ": names no field pair");
        }
        return rows;
    }

    private static String required(Map<String, Value> args, String name, String call) {
        String value = text(args.get(name), call);
        if (value == null) {
            throw new TapflowException(call + " needs " + name);
        }
        return value;
    }

    private static String text(Value v, String what) {
        return v == null || v.isNull() ? null : ScriptArgs.string(new Value[] {v}, 0, what);
    }

    private static List<String> strings(Value v, String what) {
        if (v == null || v.isNull()) {
            return List.of();
        }
        return v.isString() ? List.of(v.asString()) : ScriptArgs.strings(new Value[] {v}, 0, what);
    }

    /**
     * The call's arguments by name: leading positional ones by {@code positions}, then the keywords (Python's, which the
     * binding passes as a last dict, or a JavaScript call's last plain object). {@code as} is JavaScript's {@code as_}.
     */
    private Map<String, Value> arguments(Value[] a, List<String> positions, List<String> params, String call) {
        Map<String, Value> out = new LinkedHashMap<>();
        int positional = a.length;
        // A dict (or plain object) is never a source, so even alone it holds keywords: lookup(source=..., ...).
        if (a.length > 0 && isKeywords(a[a.length - 1])) {
            positional--;
        }
        if (positional > positions.size()) {
            throw new TapflowException(call + "() takes at most " + positions.size() + " arguments by position ("
                    + String.join(", ", positions) + "), got " + positional);
        }
        for (int i = 0; i < positional; i++) {
            if (!a[i].isNull()) {
                out.put(positions.get(i), a[i]);
            }
        }
        if (positional < a.length) {
            Value keywords = a[a.length - 1];
            for (String key : keys(keywords)) {
                String name = key.equals("as") ? "as_" : key;
                if (!params.subList(1, params.size()).contains(name)) {
                    throw new TapflowException(call + "() has no argument '" + key + "'; its keyword arguments are: "
                            + String.join(", ", params.subList(1, params.size())));
                }
                if (out.containsKey(name)) {
                    throw new TapflowException(call + "() got argument '" + key + "' twice");
                }
                Value value = keywords.hasHashEntries() ? keywords.getHashValue(key) : keywords.getMember(key);
                if (!value.isNull()) {
                    out.put(name, value);
                }
            }
        }
        return out;
    }

    /** A Python dict or a plain JavaScript object (not a list, a string or a DSL object such as a Flow). */
    private boolean isKeywords(Value v) {
        return v.hasHashEntries() || (v.hasMembers() && !v.hasArrayElements() && !v.isString() && !v.isProxyObject()
                && !v.canExecute() && !v.isMetaObject() && flows.apply(v) == null);
    }

    private static List<String> keys(Value keywords) {
        List<String> out = new ArrayList<>();
        if (keywords.hasHashEntries()) {
            Value it = keywords.getHashKeysIterator();
            while (it.hasIteratorNextElement()) {
                out.add(it.getIteratorNextElement().asString());
            }
        } else {
            out.addAll(keywords.getMemberKeys());
        }
        return out;
    }
}
