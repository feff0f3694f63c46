package io.tapflow.udf.script;

import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.SourceSpec;
import io.tapflow.dsl.TapflowException;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.graalvm.polyglot.Value;

/**
 * TapFlow's {@code Source(...)} and {@code Sink(...)} objects: table references that {@code read_from} and
 * {@code write_to} take instead of {@code "datasource.table"}. Their tuning methods (read and write batch sizes,
 * threads) have no counterpart in tapflow, which sizes its reads and writes itself: a call is accepted and noted, so
 * that the user sees it changed nothing; a method whose meaning tapflow cannot keep fails at its line.
 */
final class ScriptTables {
    static final List<String> SOURCE_PARAMETERS = List.of("connection", "table", "table_re");
    static final List<String> SINK_PARAMETERS = List.of("connection", "table");
    private static final List<String> SOURCE_TUNING = List.of("initial_read_size", "increase_read_size",
            "disable_filling_modified_data");
    private static final List<String> SINK_TUNING = List.of("set_write_batch", "set_write_wait", "set_cdc_threads",
            "set_init_thread");

    /** What a {@code Source} reads: {@code datasource.table} references (a table part may be a regular expression). */
    private record SourceDef(List<String> refs, boolean[] ddl) {}

    /** Where a {@code Sink} writes: {@code ds.table}, or {@code ds} with the tables it names (empty: any). */
    private record SinkDef(String ref, List<String> tables) {}

    private final Map<HostObject, SourceDef> sources = new IdentityHashMap<>();
    private final Map<HostObject, SinkDef> sinks = new IdentityHashMap<>();
    private final IntSupplier callerLine;
    private final Consumer<String> notes;

    ScriptTables(IntSupplier callerLine, Consumer<String> notes) {
        this.callerLine = callerLine;
        this.notes = notes;
    }

    /** {@code Source('ds', table='t' | ['t1', 't2'])}, {@code Source('ds', table_re='sales_.*')} or {@code Source('ds')}: all tables. */
    HostObject source(Value[] a) {
        String call = "Source(connection, table=..., table_re=...)";
        String ds = ScriptArgs.string(a, 0, call);
        List<String> tables = a.length > 1 && !a[1].isNull() ? ScriptArgs.strings(new Value[] {a[1]}, 0, call) : List.of();
        String pattern = ScriptArgs.optionalString(a, 2, call);
        if (!tables.isEmpty() && pattern != null) {
            throw new TapflowException(call + ": give table or table_re, not both");
        }
        List<String> refs = pattern != null ? List.of(ds + "." + pattern)
                : tables.isEmpty() ? List.of(ds + ".*") : tables.stream().map(t -> ds + "." + t).toList();
        SourceDef def = new SourceDef(refs, new boolean[1]);
        HostObject source = new HostObject("Source", callerLine);
        source.method(List.of(), x -> {
            def.ddl()[0] = true;
            return null;
        }, "enableDDL", "enable_ddl");
        tuning(source, "Source", SOURCE_TUNING);
        source.unsupported(Map.of("enablePreImage", "tapflow reads no MongoDB source",
                "disableDDL", "the schema-change policy is the pipeline's: schema_changes('ignore')"));
        sources.put(source, def);
        return source;
    }

    /** {@code Sink('ds.table')}, {@code Sink('ds', table='t')}, {@code Sink('ds', table=['t1', 't2'])} or {@code Sink('ds')}. */
    HostObject sink(Value[] a) {
        String call = "Sink(connection, table=...)";
        String ds = ScriptArgs.string(a, 0, call);
        List<String> tables = a.length > 1 && !a[1].isNull() ? ScriptArgs.strings(new Value[] {a[1]}, 0, call) : List.of();
        SinkDef def = tables.size() == 1 ? new SinkDef(ds + "." + tables.get(0), List.of()) : new SinkDef(ds, tables);
        HostObject sink = new HostObject("Sink", callerLine);
        // TapFlow's default, and the only way tapflow writes: rows already in the target stay, keyed rows are upserted.
        sink.method(List.of(), x -> null, "keep_data");
        tuning(sink, "Sink", SINK_TUNING);
        String neverClears = "tapflow never empties or drops a target table; empty it before the first run, or write to a new table";
        sink.unsupported(Map.of("clean_data", neverClears, "clean_table", neverClears));
        sinks.put(sink, def);
        return sink;
    }

    /** The {@code ds.table} references of a {@code Source} object, or null if the value is none. */
    List<String> sourceRefs(Value v) {
        SourceDef def = sources.get(host(v));
        return def == null ? null : def.refs();
    }

    /** Applies what a {@code Source} asked of the pipeline that reads it ({@code enableDDL}: schema changes evolve the target). */
    Pipeline applySource(Value v, Pipeline p) {
        SourceDef def = sources.get(host(v));
        return def != null && def.ddl()[0] ? p.schemaChanges("evolve") : p;
    }

    /**
     * The reference a {@code Sink} object writes to, or null if the value is none. A Sink naming several tables writes
     * each source table into the table of its name, so it must name the tables the pipeline reads.
     */
    String sinkRef(Value v, Pipeline p) {
        SinkDef def = sinks.get(host(v));
        if (def == null) {
            return null;
        }
        if (!def.tables().isEmpty()) {
            Set<String> read = new LinkedHashSet<>();
            p.sources().stream().map(SourceSpec::tables).forEach(read::addAll);
            if (!read.equals(new LinkedHashSet<>(def.tables()))) {
                throw new TapflowException("Sink('" + def.ref() + "', table=" + def.tables() + ") must name the tables the flow "
                        + "reads, " + List.copyOf(read) + ", each written into the table of its name; or name one table");
            }
        }
        return def.ref();
    }

    private void tuning(HostObject object, String kind, List<String> names) {
        for (String name : names) {
            object.method(List.of("value"), x -> {
                notes.accept(kind + "." + name + "(" + (x.length == 0 ? "" : x[0]) + ") changes nothing: tapflow sizes "
                        + "its reads and writes itself (the README's Guarantees section tells how)");
                return null;
            }, name);
        }
    }

    /** The host object behind a value: in Python, the keyword wrapper holds it as {@code _host}. */
    private static HostObject host(Value v) {
        Value host = v.hasMember("_host") ? v.getMember("_host") : v;
        return host.isProxyObject() && host.asProxyObject() instanceof HostObject h ? h : null;
    }
}
