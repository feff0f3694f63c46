package io.tapflow.dsl;

import java.time.Duration;
import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pipeline definition, built as one fluent chain:
 * <pre>{@code
 * Pipeline.named("demo-job")
 *     .readFrom(mysql.table("customer"))
 *     .addField("updated", FieldValue.now())
 *     .writeTo(mongo.table("customer_v1"));
 * }</pre>
 * Immutable: each method returns a new pipeline. {@link PipelineValidator} turns it into a runnable {@link JobSpec}.
 *
 * <p>{@code sources} holds one entry per source datasource, in the order {@code readFrom} first named them; several
 * entries make a union of datasources. Definitions written before unions existed have one {@code "source"} object,
 * which still reads as a list of one.
 */
public record Pipeline(
        String name,
        @JsonAlias("source") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<SourceSpec> sources,
        List<Step> steps, TargetSpec target, PipelineSettings settings) {

    public Pipeline {
        sources = sources == null ? List.of() : List.copyOf(sources);
        steps = steps == null ? List.of() : List.copyOf(steps);
        settings = settings == null ? PipelineSettings.DEFAULTS : settings;
    }

    public static Pipeline named(String name) {
        return new Pipeline(name, List.of(), List.of(), null, PipelineSettings.DEFAULTS);
    }

    /**
     * Reads these tables, replacing what an earlier call named: named tables ({@code mysql.table("orders")}) and the
     * tables regular expressions select ({@code mysql.tables("shop\\.order_.*")}). Tables of several datasources make
     * a union: their rows all flow through the same steps into the same target.
     */
    public Pipeline readFrom(TableSelector... tables) {
        if (tables.length == 0) {
            throw new TapflowException("pipeline '" + name + "': readFrom needs at least one table");
        }
        Map<String, SourceSpec> byDataSource = new LinkedHashMap<>();
        for (TableSelector t : tables) {
            SourceSpec before = byDataSource.getOrDefault(t.datasource(), new SourceSpec(t.datasource(), List.of()));
            if (t instanceof TablePattern pattern) {
                byDataSource.put(t.datasource(), new SourceSpec(t.datasource(), before.tables(),
                        plus(before.include(), pattern.include()), plus(before.exclude(), pattern.exclude())));
            } else {
                byDataSource.put(t.datasource(), new SourceSpec(t.datasource(),
                        plus(before.tables(), List.of(((TableRef) t).table())), before.include(), before.exclude()));
            }
        }
        return new Pipeline(name, List.copyOf(byDataSource.values()), steps, target, settings);
    }

    private static List<String> plus(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /**
     * Reads the result of a SELECT once, as a snapshot that ends (a query result cannot carry changes): the job writes
     * every row of the result and finishes. {@code result} names the datasource and what the result is called, which
     * is the target table's name unless {@code writeTo} names one. The rows' key is the pipeline's {@link #key} or else
     * the primary key of a table of that name; planning checks that it is unique and never NULL in the result.
     */
    public Pipeline readQuery(TableRef result, String select) {
        return new Pipeline(name, List.of(SourceSpec.query(result.datasource(), result.table(), select)), steps,
                target, settings);
    }

    /**
     * The name the server-side resources of one source carry (a PostgreSQL replication slot and publication): the
     * pipeline's name for its first source, with the datasource's name added for the other sources of a union, which
     * may live on the same server.
     */
    public String sourceResourceName(String datasource) {
        return sources.isEmpty() || sources.get(0).datasource().equals(datasource) ? name : name + "_" + datasource;
    }

    public Pipeline addField(String field, FieldValue value) {
        return withStep(new Step.AddField(field, value));
    }

    /** Keeps the rows for which the JavaScript expression is true, e.g. {@code record.amount > 100}. */
    public Pipeline filter(String expression) {
        return withStep(new Step.Filter(expression, true));
    }

    /** Drops the rows for which the JavaScript expression is true. */
    public Pipeline filterOut(String expression) {
        return withStep(new Step.Filter(expression, false));
    }

    public Pipeline include(String... fields) {
        return withStep(new Step.IncludeFields(List.of(fields)));
    }

    public Pipeline exclude(String... fields) {
        return withStep(new Step.ExcludeFields(List.of(fields)));
    }

    /** Renames fields, old name to new name. */
    public Pipeline renameFields(Map<String, String> renames) {
        return withStep(new Step.RenameFields(renames));
    }

    public Pipeline changeType(String field, FieldType to) {
        return withStep(new Step.ChangeType(field, to));
    }

    public Pipeline valueMap(String field, Map<String, String> values) {
        return withStep(new Step.ValueMap(field, values));
    }

    /** One row per element of the JSON array in {@code field}; the element's position goes to {@code field + "_index"}. */
    public Pipeline unwind(String field) {
        return withStep(new Step.Unwind(field, field + "_index"));
    }

    /** Writes each source table to {@code prefix + name + suffix} (with {@link #writeTo(DataSource)}). */
    public Pipeline renameTables(String prefix, String suffix) {
        return withStep(new Step.RenameTables(prefix, suffix));
    }

    /**
     * Writes each source table to {@code prefix + name + suffix} put in {@code nameCase}; {@code renameTables("", "",
     * NameCase.LOWER)} gives {@code Invoice} the index name {@code invoice} Elasticsearch needs.
     */
    public Pipeline renameTables(String prefix, String suffix, NameCase nameCase) {
        return withStep(new Step.RenameTables(prefix, suffix, nameCase));
    }

    /** A JavaScript function body run per row, or the path of a {@code .js} file holding one. */
    public Pipeline js(String codeOrFile) {
        return withStep(new Step.JsUdf(GuestCodeFiles.codeOrFile(codeOrFile, ".js")));
    }

    /** A Python function given as its source ({@code def name(record): ...}) and name. */
    public Pipeline py(String source, String function) {
        return withStep(new Step.PyUdf(source, function));
    }

    /**
     * Embeds the one row of {@code table} (or of a {@link Lookups#rows} chain with its own steps) that matches
     * {@code on}, as an object field ({@link Lookups#as}) or flattened into this row ({@link Lookups#flatten}), kept
     * current as either table changes. See {@link Step.Lookup}.
     */
    public Pipeline lookup(TableRef table, Lookups.On on, Lookups.Into into) {
        return lookup(Lookups.rows(table), on, into);
    }

    public Pipeline lookup(Pipeline rows, Lookups.On on, Lookups.Into into) {
        TableRef child = lookupTable(rows);
        return withStep(into instanceof Lookups.Flatten f
                ? new Step.Lookup(child.datasource(), child.table(), on.fields(), null, false, List.of(), f.prefix(), rows.steps)
                : new Step.Lookup(child.datasource(), child.table(), on.fields(), ((Lookups.Embed) into).field(), false,
                        List.of(), null, rows.steps));
    }

    /** Embeds every row of {@code table} that matches {@code on} as an array field, ordered by the table's key. */
    public Pipeline lookupMany(TableRef table, Lookups.On on, Lookups.Embed as) {
        return lookupMany(Lookups.rows(table), on, as, new Lookups.ArrayKey(List.of()));
    }

    /** Embeds every matching row as an array field whose elements {@code arrayKey} identifies and orders. */
    public Pipeline lookupMany(TableRef table, Lookups.On on, Lookups.Embed as, Lookups.ArrayKey arrayKey) {
        return lookupMany(Lookups.rows(table), on, as, arrayKey);
    }

    public Pipeline lookupMany(Pipeline rows, Lookups.On on, Lookups.Embed as, Lookups.ArrayKey arrayKey) {
        TableRef child = lookupTable(rows);
        return withStep(new Step.Lookup(child.datasource(), child.table(), on.fields(), as.field(), true,
                arrayKey.fields(), null, rows.steps));
    }

    /** The one named table a lookup's rows come from. */
    private TableRef lookupTable(Pipeline rows) {
        if (rows.sources.size() != 1 || rows.sources.get(0).tables().size() != 1 || rows.sources.get(0).hasQuery()
                || !rows.sources.get(0).include().isEmpty()) {
            throw new TapflowException("pipeline '" + name + "': a lookup reads exactly one named table");
        }
        return new TableRef(rows.sources.get(0).datasource(), rows.sources.get(0).tables().get(0));
    }

    public Pipeline onError(ErrorPolicy policy) {
        return new Pipeline(name, sources, steps, target, settings.withOnError(policy));
    }

    /** What schema changes in the source do to the target: "evolve", "lenient" (the default), "ignore" or "fail". */
    public Pipeline schemaChanges(String policy) {
        return new Pipeline(name, sources, steps, target, settings.withSchemaChanges(SchemaChangePolicy.of(policy)));
    }

    /**
     * Gives one kind of schema change ("add_column", "drop_column", "rename_column", "modify_column", "create_table",
     * "drop_table", "truncate") a policy other than the pipeline's {@link #schemaChanges(String)}: e.g.
     * {@code .schemaChanges("evolve").schemaChange("drop_column", "lenient")} keeps dropped columns in the target.
     */
    public Pipeline schemaChange(String kind, String policy) {
        return new Pipeline(name, sources, steps, target,
                settings.withSchemaChangeOverride(SchemaChangeKind.of(kind), SchemaChangePolicy.of(policy)));
    }

    public Pipeline udfLimits(UdfLimits limits) {
        return new Pipeline(name, sources, steps, target, settings.withUdf(limits));
    }

    public Pipeline withStep(Step step) {
        List<Step> next = new ArrayList<>(steps);
        next.add(step);
        return new Pipeline(name, sources, next, target, settings);
    }

    /** Writes every source table into this one table. */
    public Pipeline writeTo(TableRef table) {
        return new Pipeline(name, sources, steps, new TargetSpec(table.datasource(), table.table(), keyOrEmpty()), settings);
    }

    /** Writes each source table into a table of the same name in this datasource. */
    public Pipeline writeTo(DataSource datasource) {
        return new Pipeline(name, sources, steps, new TargetSpec(datasource.name(), null, keyOrEmpty()), settings);
    }

    /** Names the fields that identify a target row, instead of the source primary key. Call after writeTo. */
    public Pipeline key(String... fields) {
        if (target == null) {
            throw new TapflowException("pipeline '" + name + "': call key(...) after writeTo(...)");
        }
        return new Pipeline(name, sources, steps, new TargetSpec(target.datasource(), target.table(), List.of(fields)), settings);
    }

    public Pipeline parallelism(int parallelism) {
        return new Pipeline(name, sources, steps, target, settings.withParallelism(parallelism));
    }

    public Pipeline checkpointInterval(Duration interval) {
        return new Pipeline(name, sources, steps, target, settings.withCheckpointIntervalMs(interval.toMillis()));
    }

    /** How the job restarts after a failure that may heal; {@link RestartPolicy#DEFAULT} unless set. */
    public Pipeline restarts(RestartPolicy policy) {
        return new Pipeline(name, sources, steps, target, settings.withRestart(policy));
    }

    /**
     * Lets the running job verify itself: up to this many changed keys per second are re-read from source and target
     * once the checkpoint covering the change completed (option {@code verify.sample-per-second}; 0 is off).
     */
    public Pipeline verifySamplePerSecond(int keys) {
        return new Pipeline(name, sources, steps, target, settings.withVerifySamplePerSecond(keys));
    }

    private List<String> keyOrEmpty() {
        return target == null ? List.of() : target.key();
    }
}
