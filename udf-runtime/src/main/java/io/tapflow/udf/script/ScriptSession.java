package io.tapflow.udf.script;

import io.tapflow.dsl.ConnectorType.Role;
import io.tapflow.dsl.ConnectorTypes;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DataSourceValidator;
import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.FieldType;
import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.InvalidDefinitionException;
import io.tapflow.dsl.MongoUriDatabase;
import io.tapflow.dsl.NameCase;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.NoSuchDataSourceException;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.PipelineValidator;
import io.tapflow.dsl.RestartPolicy;
import io.tapflow.dsl.SchemaChangeKind;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.TableRef;
import io.tapflow.dsl.TapflowException;
import io.tapflow.dsl.UdfLimits;
import io.tapflow.dsl.api.Api;
import io.tapflow.dsl.api.ApiValidator;
import io.tapflow.udf.GuestCodeException;
import io.tapflow.udf.GuestFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.graalvm.polyglot.Value;

/**
 * The state of one script run: the datasources it can refer to (the catalog plus those the script saved), and the
 * pipelines it saved and started. Makes the {@code DataSource}, {@code Flow} and {@code Pipeline} objects of the DSL.
 */
final class ScriptSession {
    private static final java.util.regex.Pattern REGEX_OPERATORS = java.util.regex.Pattern.compile("[*+?\\[\\](){}|^$\\\\]");
    private final Map<String, DataSource> known = new LinkedHashMap<>();
    private final Map<String, DataSource> saved = new LinkedHashMap<>();
    private final List<JobSpec> savedPipelines = new ArrayList<>();
    private final List<JobSpec> started = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<JobSpec> verified = new ArrayList<>();
    private final List<Api> publishedApis = new ArrayList<>();
    private final String scriptName;
    private final Function<Value, String[]> pythonFunctionSource;
    private final IntSupplier callerLine;
    private Consumer<String> onSaved = name -> { };
    /** The pipeline each Flow object of the script holds, so that a Flow can be a lookup's source. */
    private final Map<HostObject, Pipeline[]> flows = new java.util.IdentityHashMap<>();
    private final ScriptLookups lookups = new ScriptLookups(this::table, this::flowPipeline, (p, f) -> py(p, new Value[] {f}));
    private final ScriptTables tables;

    /**
     * @param scriptName the script's file name, as errors show it
     * @param pythonFunctionSource a Python function's source, name and first line (null for JavaScript scripts)
     * @param callerLine the script line of the current DSL call, or 0 where the guest stack tells it
     */
    ScriptSession(String scriptName, Map<String, DataSource> catalog, Function<Value, String[]> pythonFunctionSource,
                  IntSupplier callerLine) {
        this.scriptName = scriptName;
        known.putAll(catalog);
        this.pythonFunctionSource = pythonFunctionSource;
        this.callerLine = callerLine;
        this.tables = new ScriptTables(callerLine, notes::add);
    }

    /** TapFlow's {@code Source(connection, table=..., table_re=...)}: a table reference for {@code read_from}. */
    HostObject source(Value[] args) {
        return tables.source(args);
    }

    /** TapFlow's {@code Sink(connection, table=...)}: a table reference for {@code write_to}. */
    HostObject sink(Value[] args) {
        return tables.sink(args);
    }

    /**
     * Starts a statement of an interactive session afresh: what earlier statements saved and started has been acted on,
     * and the catalog (which by now holds the datasources they saved) is what names resolve against.
     */
    void startStatement(Map<String, DataSource> catalog) {
        known.clear();
        known.putAll(catalog);
        saved.clear();
        savedPipelines.clear();
        started.clear();
        notes.clear();
        verified.clear();
        publishedApis.clear();
    }

    /** Tells the context each datasource the code saves, so that its name can be used as TapFlow does. */
    void whenDataSourceSaved(Consumer<String> listener) {
        onSaved = listener;
    }

    ScriptResult result() {
        return new ScriptResult(List.copyOf(saved.values()), List.copyOf(savedPipelines), List.copyOf(started), notes,
                List.copyOf(verified), List.copyOf(publishedApis));
    }

    /** Parameter names of {@code DataSource(...)}, as TapFlow names them for keyword arguments. */
    static final List<String> DATA_SOURCE_PARAMETERS = List.of("connector", "name", "config", "type");
    /** Parameter names of {@code Api(...)}. */
    static final List<String> API_PARAMETERS = List.of("name");
    /** Parameter names of {@code Flow(...)} and {@code Pipeline(...)}. */
    static final List<String> FLOW_PARAMETERS = List.of("name");

    /** {@code DataSource(connector, name[, config[, type]])}; {@code type} is the role, as {@code .type(role)} sets it. */
    HostObject dataSource(Value[] args) {
        String call = "DataSource(connector, name, config, type)";
        String type = ScriptArgs.string(args, 0, call);
        String name = ScriptArgs.string(args, 1, call);
        Map<String, String> options = ScriptArgs.map(args, 2, call);
        String[] role = {ScriptArgs.optionalString(args, 3, call)};
        HostObject ds = new HostObject("DataSource", callerLine);
        for (String option : List.of("host", "port", "username", "password", "database", "uri", "schema")) {
            ds.method(List.of("value"), a -> put(options, option, ScriptArgs.string(a, 0, option + "(value)")), option);
        }
        ds.method(List.of("value"), a -> put(options, "username", ScriptArgs.string(a, 0, "user(value)")), "user")
                .method(List.of("name"), a -> put(options, "database", ScriptArgs.string(a, 0, "db(name)")), "db")
                .method(List.of("key", "value"), a -> put(options, ScriptArgs.string(a, 0, "option(key, value)"),
                        ScriptArgs.string(a, 1, "option(key, value)")), "option")
                .method(List.of("role"), a -> {
                    role[0] = ScriptArgs.string(a, 0, "type(role)");
                    return null;
                }, "type", "role")
                .method(List.of("config"), a -> {
                    options.putAll(ScriptArgs.map(a, 0, "set(config)"));
                    return null;
                }, "set")
                .method(List.of(), a -> save(type, name, options, role[0]), "save")
                .unsupported(UnsupportedCalls.DATA_SOURCE);
        return ds;
    }

    private static Object put(Map<String, String> options, String key, String value) {
        options.put(key, value);
        return null;
    }

    private Object save(String type, String name, Map<String, String> options, String role) {
        Map<String, String> effective = new LinkedHashMap<>(options);
        // TapFlow's PostgreSQL and MongoDB forms name the user 'user'.
        if (effective.containsKey("user") && !effective.containsKey("username")
                && ConnectorTypes.find(type).map(t -> t.options().stream().anyMatch(o -> o.key().equals("username"))).orElse(false)) {
            effective.put("username", effective.remove("user"));
        }
        DataSource ds = new DataSource(type, name, MongoUriDatabase.fill(type, effective));
        List<String> problems = new ArrayList<>(DataSourceValidator.problems(ds));
        if (role != null) {
            roleProblem(ds, role).ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException("datasource '" + name + "'", problems);
        }
        known.put(name, ds);
        saved.put(name, ds);
        onSaved.accept(name);
        return null;
    }

    private static Optional<String> roleProblem(DataSource ds, String role) {
        List<Role> wanted = switch (role.toLowerCase()) {
            case "source" -> List.of(Role.SOURCE);
            case "target" -> List.of(Role.TARGET);
            case "source_and_target", "source&target" -> List.of(Role.SOURCE, Role.TARGET);
            default -> null;
        };
        if (wanted == null) {
            return Optional.of("type('" + role + "') is not a role; use 'source', 'target' or 'source_and_target'");
        }
        var roles = ConnectorTypes.get(ds.type()).roles();
        return wanted.stream().filter(r -> !roles.contains(r)).findFirst().map(r -> "a " + ds.type()
                + " datasource cannot be a " + r.name().toLowerCase() + " (it can be: " + roles.stream()
                .map(x -> x.name().toLowerCase()).sorted().toList() + ")");
    }

    /** {@code Flow(name)} and {@code Pipeline(name)}. */
    HostObject flow(Value[] args) {
        Pipeline[] p = {Pipeline.named(ScriptArgs.string(args, 0, "Flow(name)"))};
        HostObject flow = new HostObject("Flow", callerLine);
        flows.put(flow, p);
        ScriptUnion union = new ScriptUnion();
        List<String> none = List.of();
        flow.method(List.of("*tables", "query", "filter"), a -> set(p, union.readFrom(p[0], a, this::readFrom)), "read_from", "readFrom")
                .method(List.of("source", "name"), a -> set(p, union(union, p[0], a)), "union")
                .method(List.of("table", "pk"), a -> set(p, writeTo(p[0], a)), "write_to", "writeTo")
                .method(none, a -> set(p, p[0].include(ScriptArgs.strings(a, 0, "include(fields)").toArray(String[]::new))), "include")
                .method(none, a -> set(p, p[0].exclude(ScriptArgs.strings(a, 0, "exclude(fields)").toArray(String[]::new))), "exclude")
                .method(List.of("fields"), a -> set(p, p[0].renameFields(ScriptArgs.map(a, 0, "rename_fields(fields)"))),
                        "rename_fields", "renameFields", "renameField")
                .method(List.of("ori", "new"), a -> set(p, p[0].renameFields(Map.of(ScriptArgs.string(a, 0, "rename(ori, new)"),
                        ScriptArgs.string(a, 1, "rename(ori, new)")))), "rename")
                .method(List.of("expression", "filterType", "mode", "query"), a -> set(p, filter(p[0], a)), "filter")
                .method(List.of("expression", "rowFilterType"), a -> set(p, rowFilter(p[0], a)), "rowFilter", "row_filter")
                .method(List.of("expression"), a -> set(p, p[0].filterOut(TapflowConditions.javaScript(
                        ScriptArgs.text(a, 0, "filter_out(expression)"), "filter_out"))), "filter_out", "filterOut")
                .method(List.of("name", "expression", "type"), a -> set(p, p[0].addField(
                        ScriptArgs.string(a, 0, "add_field(name, expression)"), ScriptFieldTypes.addedValue(a))), "add_field", "addField")
                .method(List.of("fields"), a -> set(p, addFields(p[0], a)), "add_fields", "addFields")
                .method(List.of("field", "type"), a -> set(p, p[0].changeType(ScriptArgs.string(a, 0, "change_type(field, type)"),
                        ScriptFieldTypes.of(ScriptArgs.string(a, 1, "change_type(field, type)")))), "change_type", "changeType", "typeMap")
                .method(List.of("query", "filterType"), a -> set(p, filterColumns(p[0], a)), "filter_columns", "filterColumn")
                .method(List.of("field"), a -> set(p, p[0].addField(ScriptArgs.optionalString(a, 0, "add_date_field(field)") == null
                        ? "created_at" : ScriptArgs.string(a, 0, "add_date_field(field)"), FieldValue.now())),
                        "add_date_field", "addTimeField")
                .method(List.of("field", "mapping"), a -> set(p, p[0].valueMap(ScriptArgs.string(a, 0, "value_map(field, mapping)"),
                        ScriptArgs.map(a, 1, "value_map(field, mapping)"))), "value_map", "valueMap")
                .method(List.of("field"), a -> set(p, p[0].unwind(ScriptArgs.string(a, 0, "unwind(field)"))), "unwind")
                .method(List.of("prefix", "suffix", "case"), a -> set(p, renameTables(p[0], a)),
                        "rename_tables", "renameTables", "renameTable")
                .method(none, a -> set(p, p[0].key(ScriptArgs.strings(a, 0, "key(fields)").toArray(String[]::new))), "key")
                .method(List.of("code"), a -> set(p, compiledJs(p[0].js(ScriptArgs.text(a, 0, "js(code)")))), "js")
                .method(List.of("function"), a -> set(p, py(p[0], a)), "py")
                .method(ScriptLookups.LOOKUP_PARAMETERS, a -> set(p, lookups.lookup(p[0], a)), "lookup")
                .method(ScriptLookups.LOOKUP_MANY_PARAMETERS, a -> set(p, lookups.lookupMany(p[0], a)), "lookup_many", "lookupMany")
                .method(List.of("n"), a -> set(p, p[0].parallelism((int) ScriptArgs.whole(a, 0, 1, 1024, "parallelism(n)"))), "parallelism")
                .method(List.of("n"), a -> set(p, p[0].verifySamplePerSecond((int)
                        ScriptArgs.whole(a, 0, 1, Integer.MAX_VALUE, "verify_sample_per_second(n)"))), "verify_sample_per_second", "verifySamplePerSecond")
                .method(List.of("mode", "limit"), a -> set(p, p[0].onError(errorPolicy(a))), "on_error", "onError")
                .method(List.of("mode", "first", "second"), a -> set(p, p[0].restarts(restartPolicy(a))), "restarts")
                .method(List.of("size"), a -> set(p, p[0].onError(ErrorPolicy.skip(
                        ScriptArgs.whole(a, 0, 0, Long.MAX_VALUE, "skip_error_event_by_limit(size)")))), "skip_error_event_by_limit")
                .method(List.of("ms", "allow_io"), a -> set(p, p[0].udfLimits(new UdfLimits(ScriptArgs.whole(a, 0, 1, Long.MAX_VALUE, "udf_limits(ms, allow_io)"),
                        ScriptArgs.optionalBoolean(a, 1, "udf_limits(ms, allow_io)")))), "udf_limits", "udfLimits")
                .method(SCHEMA_CHANGES_PARAMETERS, a -> set(p, schemaChanges(p[0], a)), "schema_changes", "schemaChanges")
                // TapFlow's default, and what every tapflow pipeline does: the snapshot, then every change.
                .method(none, a -> null, "include_cdc")
                // TapFlow's switch for its lookups to follow join key changes; a tapflow lookup always follows them.
                .method(none, a -> null, "enable_join_value_change")
                .method(none, a -> ended("save", p[0], a, savedPipelines), "save")
                .method(none, a -> ended("start", p[0], a, started), "start")
                .method(none, a -> ended("verify", p[0], a, verified), "verify")
                .unsupported(UnsupportedCalls.FLOW);
        return flow;
    }

    /**
     * {@code Api(name)}: a data API over one table, e.g. {@code Api('customers').read_from('pg.customer')
     * .fields('id', 'name').filterable('name').sortable('id').param('min_id', field='id', op='gte').publish()}.
     */
    HostObject api(Value[] args) {
        Api[] a = {Api.named(ScriptArgs.string(args, 0, "Api(name)"))};
        HostObject api = new HostObject("Api", callerLine);
        List<String> none = List.of();
        api.method(List.of("table"), v -> setApi(a, a[0].readFrom(table(ScriptArgs.string(v, 0, "read_from(table)")))), "read_from", "readFrom")
                .method(none, v -> setApi(a, a[0].fields(ScriptArgs.strings(v, 0, "fields(names)").toArray(String[]::new))), "fields")
                .method(none, v -> setApi(a, a[0].filterable(ScriptArgs.strings(v, 0, "filterable(names)").toArray(String[]::new))), "filterable")
                .method(none, v -> setApi(a, a[0].sortable(ScriptArgs.strings(v, 0, "sortable(names)").toArray(String[]::new))), "sortable")
                .method(none, v -> setApi(a, a[0].key(ScriptArgs.strings(v, 0, "key(names)").toArray(String[]::new))), "key")
                .method(List.of("name", "field", "op"), v -> setApi(a, a[0].param(ScriptArgs.string(v, 0, "param(name, field, op)"),
                        ScriptArgs.string(v, 1, "param(name, field, op)"), ScriptArgs.string(v, 2, "param(name, field, op)"))), "param")
                .method(List.of("column"), v -> setApi(a, a[0].changesBy(ScriptArgs.string(v, 0, "changes_by(column)"))), "changes_by", "changesBy")
                .method(List.of("topic"), v -> setApi(a, a[0].changesFrom(table(ScriptArgs.string(v, 0, "changes_from(topic)")))),
                        "changes_from", "changesFrom")
                .method(none, v -> {
                    ApiValidator.validate(a[0]);
                    publishedApis.removeIf(p -> p.name().equals(a[0].name()));
                    publishedApis.add(a[0]);
                    return null;
                }, "publish");
        return api;
    }

    private static Object setApi(Api[] holder, Api next) {
        holder[0] = next;
        return null;
    }

    /** The policy, then one keyword per kind of schema change that may override it. */
    private static final List<String> SCHEMA_CHANGES_PARAMETERS = Stream.concat(Stream.of("policy"),
            Arrays.stream(SchemaChangeKind.values()).map(SchemaChangeKind::text)).toList();

    /**
     * {@code schema_changes('evolve', drop_column='lenient', truncate='ignore')}; JavaScript passes the overrides as
     * an object: {@code schemaChanges('evolve', {drop_column: 'lenient'})}.
     */
    private static Pipeline schemaChanges(Pipeline p, Value[] a) {
        String usage = "schema_changes('evolve' | 'lenient' | 'ignore' | 'fail', drop_column='lenient', ...)";
        Pipeline next = p.schemaChanges(ScriptArgs.string(a, 0, usage));
        Map<String, String> overrides = new LinkedHashMap<>();
        if (a.length == 2 && !a[1].isNull() && !a[1].isString()) {
            overrides.putAll(ScriptArgs.textMap(a, 1, usage));
        } else {
            for (int i = 1; i < a.length; i++) {
                if (!a[i].isNull()) {
                    overrides.put(SCHEMA_CHANGES_PARAMETERS.get(i), ScriptArgs.string(a, i, usage));
                }
            }
        }
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            next = next.schemaChange(o.getKey(), o.getValue());
        }
        return next;
    }

    /**
     * {@code read_from('ds.t1', 'ds2.t2', ...)}, with TapFlow's keywords {@code query="SELECT ..."} (one table: a filter
     * of it runs as the table's stream plus steps, any other query as a snapshot-only read, see {@link SourceQuery}) and {@code filter="condition"} (a filter step). Python
     * passes keywords as a last dict argument (JavaScript: a last object), which no table reference is.
     */
    private Pipeline readFrom(Pipeline p, Value[] a) {
        Map<String, String> keywords = Map.of();
        Value[] tables = a;
        Value last = a.length == 0 ? null : a[a.length - 1];
        if (last != null && this.tables.sourceRefs(last) == null
                && (last.hasHashEntries() || (last.hasMembers() && !last.hasArrayElements() && !last.isString()))) {
            keywords = ScriptArgs.textMap(a, a.length - 1, "read_from(table, query=..., filter=...)");
            tables = java.util.Arrays.copyOf(a, a.length - 1);
            for (String key : keywords.keySet()) {
                if (!key.equals("query") && !key.equals("filter")) {
                    throw new TapflowException("read_from() has no argument '" + key + "'; its keyword arguments are: query, filter");
                }
            }
        }
        List<String> refs = new ArrayList<>();
        Pipeline next = p;
        for (Value table : tables) {
            List<String> sourceRefs = this.tables.sourceRefs(table);
            refs.addAll(sourceRefs != null ? sourceRefs : ScriptArgs.strings(new Value[] {table}, 0, "read_from(table)"));
            next = this.tables.applySource(table, next);
        }
        if (refs.isEmpty()) {
            throw new TapflowException("read_from(table) needs argument 1");
        }
        next = next.readFrom(refs.stream().map(this::selector).toArray(io.tapflow.dsl.TableSelector[]::new));
        String query = keywords.get("query");
        if (query != null) {
            if (refs.size() != 1) {
                throw new TapflowException("read_from(" + String.join(", ", refs) + ", query=...): a query reads from one "
                        + "datasource and its result takes one name: read_from('datasource.name', query=\"SELECT ...\")");
            }
            TableRef named = table(refs.get(0));
            SourceQuery q = SourceQuery.parseFilter(query, named.table());
            if (q == null) {
                next = next.readQuery(named, query);
                notes.add(SourceQuery.explainedSnapshot(refs.get(0)));
            } else {
                next = q.filter() == null ? next : next.filter(q.filter());
                next = q.columns().isEmpty() ? next : next.include(q.columns().toArray(String[]::new));
                notes.add(q.explained(refs.get(0)));
            }
        }
        String filter = keywords.get("filter");
        return filter == null ? next : next.filter(TapflowConditions.javaScript(filter, "read_from(filter=...)"));
    }

    /** TapFlow's {@code union()}, {@code union('ds.table')} and {@code union(Source(...))}; see {@link ScriptUnion}. */
    private Pipeline union(ScriptUnion union, Pipeline p, Value[] a) {
        if (a.length > 0 && flowPipeline(a[0]) != null) {
            throw new TapflowException("union(Flow(...)): a union's branch is a table, union('ds.table') or "
                    + "union(Source(...)), or read_from(...) after union(): read_from('ds.t1').js(...).union().read_from('ds.t2')");
        }
        return union.union(p, a, this::readFrom);
    }

    private static Object set(Pipeline[] holder, Pipeline next) {
        holder[0] = next;
        return null;
    }

    /**
     * {@code filter(condition)}, with TapFlow's {@code filterType=FilterType.delete} (or {@code mode=...}) dropping the
     * rows the condition matches; TapFlow names the condition {@code query}. In Python the condition may also be a
     * function of the record, run as a {@code py} step.
     */
    private Pipeline filter(Pipeline p, Value[] a) {
        String call = "filter(expression, filterType=FilterType.keep | FilterType.delete)";
        int at = a.length > 3 && !a[3].isNull() ? 3 : 0;
        String mode = ScriptArgs.optionalString(a, 2, call) != null ? ScriptArgs.string(a, 2, call) : ScriptArgs.optionalString(a, 1, call);
        boolean keep = switch (mode == null ? "keep" : mode) {
            case "keep" -> true;
            case "delete" -> false;
            default -> throw new TapflowException(call + ": filterType '" + mode + "' is not a filter type; use FilterType.keep or FilterType.delete");
        };
        if (a.length > at && a[at].canExecute()) {
            return pyFilter(p, a[at], keep);
        }
        String js = TapflowConditions.javaScript(ScriptArgs.text(a, at, call), "filter");
        return keep ? p.filter(js) : p.filterOut(js);
    }

    /** A Python function as a filter: a {@code py} step that passes the record on when the function's result is true. */
    private Pipeline pyFilter(Pipeline p, Value function, boolean keep) {
        if (pythonFunctionSource == null) {
            throw new TapflowException("filter(function): a JavaScript script's filter is a condition text, e.g. "
                    + ".filter('record.amount > 10')");
        }
        String[] sourceNameLine = pythonFunctionSource.apply(function);
        if (sourceNameLine[1].equals("<lambda>")) {
            throw new TapflowException("filter(function) takes a Python function defined with def in the script, e.g. "
                    + ".filter(is_paid), or a condition text: .filter(\"amount > 10\")");
        }
        String name = sourceNameLine[1];
        String wrapper = "_tapflow_" + (keep ? "keep_" : "drop_") + name;
        // The wrapper follows the function's own lines, so an error in the function keeps its line in the script.
        String source = sourceNameLine[0] + "\n\ndef " + wrapper + "(record):\n    return record if "
                + (keep ? "" : "not ") + name + "(record) else None\n";
        return p.withStep(new Step.PyUdf(source, wrapper, scriptName + ":" + sourceNameLine[2]));
    }

    /** TapFlow's {@code rowFilter("record.price > 100", rowFilterType=RowFilterType.retain | RowFilterType.discard)}. */
    private static Pipeline rowFilter(Pipeline p, Value[] a) {
        String call = "rowFilter(expression, rowFilterType=RowFilterType.retain | RowFilterType.discard)";
        String js = TapflowConditions.javaScript(ScriptArgs.text(a, 0, call), "rowFilter");
        String mode = ScriptArgs.optionalString(a, 1, call);
        return switch (mode == null ? "retain" : mode) {
            case "retain" -> p.filter(js);
            case "discard" -> p.filterOut(js);
            default -> throw new TapflowException(call + ": rowFilterType '" + mode + "' is not a row filter type; use RowFilterType.retain or RowFilterType.discard");
        };
    }

    /**
     * TapFlow's {@code add_fields([[name, type, expression], ...])}: one added field per entry, its value a JavaScript
     * expression over {@code record} (so a constant string is written {@code "'EU'"}).
     */
    private static Pipeline addFields(Pipeline p, Value[] a) {
        String call = "add_fields([[name, type, expression], ...])";
        Pipeline next = p;
        for (List<String> field : ScriptArgs.rows(a, 0, 3, call)) {
            next = next.addField(field.get(0), FieldValue.expression(field.get(2), ScriptFieldTypes.of(field.get(1))));
        }
        return next;
    }

    /** TapFlow's {@code filter_columns(['a', 'b'], 'keep')}: keep ({@code include}) or drop ({@code exclude}) the fields. */
    private static Pipeline filterColumns(Pipeline p, Value[] a) {
        String call = "filter_columns(fields, 'keep' | 'delete')";
        if (a.length == 0) {
            throw new TapflowException(call + " needs argument 1");
        }
        String[] fields = ScriptArgs.strings(new Value[] {a[0]}, 0, call).toArray(String[]::new);
        String mode = ScriptArgs.optionalString(a, 1, call);
        return switch (mode == null ? "keep" : mode) {
            case "keep" -> p.include(fields);
            case "delete", "remove" -> p.exclude(fields);
            default -> throw new TapflowException(call + ": '" + mode + "' is not a mode; use 'keep' or 'delete'");
        };
    }

    /** {@code on_error('fail')}, {@code on_error('skip', 10)} or {@code on_error('dead_letter', 'datasource.table')}. */
    private ErrorPolicy errorPolicy(Value[] a) {
        String call = "on_error(mode[, limit or table])";
        String mode = ScriptArgs.string(a, 0, call);
        return switch (mode) {
            case "fail" -> ErrorPolicy.FAIL;
            case "skip" -> ErrorPolicy.skip(ScriptArgs.whole(a, 1, 0, Long.MAX_VALUE, call));
            case "dead_letter" -> ErrorPolicy.deadLetter(table(ScriptArgs.string(a, 1, call)));
            default -> throw new TapflowException("on_error('" + mode + "') is not a policy; use 'fail', 'skip' or 'dead_letter'");
        };
    }

    /** {@code restarts('exponential', 1, 60)} (delays in seconds), {@code restarts('fixed', 3, 2)} or {@code restarts('none')}. */
    private static RestartPolicy restartPolicy(Value[] a) {
        String call = "restarts('exponential', initial_s, max_s) | restarts('fixed', attempts, delay_s) | restarts('none')";
        String mode = ScriptArgs.string(a, 0, call);
        try {
            return switch (mode) {
                case "exponential" -> RestartPolicy.exponential(seconds(ScriptArgs.string(a, 1, call)), seconds(ScriptArgs.string(a, 2, call)));
                case "fixed" -> RestartPolicy.fixed(Integer.parseInt(ScriptArgs.string(a, 1, call)), seconds(ScriptArgs.string(a, 2, call)));
                case "none" -> RestartPolicy.NONE;
                default -> throw new TapflowException("restarts('" + mode + "') is not a restart mode; use " + call);
            };
        } catch (NumberFormatException e) {
            throw new TapflowException(call + ": " + e.getMessage() + " is not a number");
        }
    }

    private static java.time.Duration seconds(String text) {
        return java.time.Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
    }

    /** Compiles the JavaScript step just added, so that a syntax error names the script's line, not a failed start. */
    private static Pipeline compiledJs(Pipeline p) {
        Step.JsUdf js = (Step.JsUdf) p.steps().get(p.steps().size() - 1);
        try {
            GuestFunction.javaScriptBody(js.id(), js.code(), p.settings().udf()).close();
        } catch (GuestCodeException e) {
            throw new TapflowException("js(code) " + e.getMessage().replaceFirst("^step '[^']*' ", ""), e);
        }
        return p;
    }

    private Pipeline py(Pipeline p, Value[] a) {
        if (pythonFunctionSource == null || a.length == 0 || !a[0].canExecute()) {
            throw new TapflowException("py(function) takes a Python function defined in the script, e.g. .py(pyfunc)");
        }
        String[] sourceNameLine = pythonFunctionSource.apply(a[0]);
        return p.withStep(new Step.PyUdf(sourceNameLine[0], sourceNameLine[1], scriptName + ":" + sourceNameLine[2]));
    }

    /** The pipeline of a script's Flow object (in Python, the object the keyword wrapper holds), or null. */
    private Pipeline flowPipeline(Value v) {
        Value host = v.hasMember("_host") ? v.getMember("_host") : v;
        Pipeline[] holder = host.isProxyObject() ? flows.get(host.asProxyObject()) : null;
        return holder == null ? null : holder[0];
    }

    /**
     * {@code save()}, {@code start()} and {@code verify()} end a chain: they take the flow as it is and return nothing,
     * so a call after them, or a target named after them, is a mistake worth naming as such (not as "no target").
     */
    private Object ended(String call, Pipeline p, Value[] a, List<JobSpec> into) {
        String example = "e.g. Flow('" + p.name() + "').read_from('ds.t').write_to('ds2.t')." + call + "()";
        if (a.length > 0) {
            throw new TapflowException(call + "() takes no arguments, got " + a.length + "; " + example);
        }
        if (p.target() == null) {
            throw new TapflowException(call + "() ends a flow: call it after write_to(...), " + example);
        }
        JobSpec spec = PipelineValidator.validate(p, known);
        into.removeIf(s -> s.pipeline().name().equals(p.name()));
        into.add(spec);
        return null;
    }

    /** {@code write_to('ds.table' | 'ds' | Sink(...), pk=['a', 'b'])}; TapFlow's {@code pk} names the target key. */
    /** {@code rename_tables(prefix, suffix, case)}, each optional: {@code rename_tables(case='lower')}. */
    private static Pipeline renameTables(Pipeline p, Value[] a) {
        String call = "rename_tables(prefix, suffix, case)";
        String nameCase = ScriptArgs.optionalString(a, 2, call);
        try {
            return p.renameTables(ScriptArgs.optionalString(a, 0, call), ScriptArgs.optionalString(a, 1, call),
                    nameCase == null ? NameCase.UNCHANGED : NameCase.of(nameCase));
        } catch (IllegalArgumentException e) {
            throw new TapflowException(call + ": " + e.getMessage());
        }
    }

    private Pipeline writeTo(Pipeline p, Value[] a) {
        String call = "write_to(table, pk=[fields])";
        if (a.length == 0 || a[0].isNull()) {
            throw new TapflowException(call + " needs argument 1");
        }
        String ref = tables.sinkRef(a[0], p);
        if (ref == null) {
            ref = ScriptArgs.string(a, 0, call);
        }
        DataSource whole = known.get(ref);
        Pipeline next = whole != null ? p.writeTo(whole) : p.writeTo(table(ref));
        return a.length > 1 && !a[1].isNull() ? next.key(ScriptArgs.strings(new Value[] {a[1]}, 0, call).toArray(String[]::new)) : next;
    }

    /**
     * A table reference of {@code read_from}: {@code 'ds.orders'} names a table, {@code 'ds.shop.order_.*'} (a name
     * with a regular expression's operators) selects the tables the expression matches, see {@link io.tapflow.dsl.TablePattern}.
     */
    private io.tapflow.dsl.TableSelector selector(String ref) {
        TableRef table = table(ref);
        return REGEX_OPERATORS.matcher(table.table()).find()
                ? new io.tapflow.dsl.TablePattern(table.datasource(), List.of(table.table()), List.of()) : table;
    }

    /**
     * {@code "datasource.table"}; datasource names may hold dots, so the longest known name wins. A name without a dot
     * that is no datasource is reported as one ({@code write_to('demo-pg')} writes to a whole datasource).
     */
    private TableRef table(String ref) {
        String best = null;
        for (String name : known.keySet()) {
            if (ref.startsWith(name + ".") && (best == null || name.length() > best.length())) {
                best = name;
            }
        }
        if (best == null) {
            int dot = ref.indexOf('.');
            if (dot < 0 && known.containsKey(ref)) {
                throw new TapflowException("'" + ref + "' names no table; write \"datasource.table\"");
            }
            throw new NoSuchDataSourceException(dot < 0 ? ref : ref.substring(0, dot), known.keySet());
        }
        return new TableRef(best, ref.substring(best.length() + 1));
    }
}
