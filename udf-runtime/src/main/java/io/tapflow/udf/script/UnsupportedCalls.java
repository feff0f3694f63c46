package io.tapflow.udf.script;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TapFlow's methods that tapflow's script DSL does not have, each with what to use instead. A script calling one
 * fails at its line with {@code Flow.merge is not supported yet: use lookup(...) ...}, so that
 * a TapFlow example run as written says what to change rather than {@code has no method}.
 */
final class UnsupportedCalls {
    private static final String JOB_CONTROL = "a script defines pipelines, which start when it has run to its end; "
            + "ask the running job with 'tapflow status <name>' (or 'status <name>' in 'tapflow shell')";
    private static final String ALWAYS_SNAPSHOT_THEN_CHANGES = "a tapflow pipeline always reads a snapshot and then "
            + "every change; for a one-time copy use read_from('ds.table', query='SELECT ...'), which reads once";
    private static final String GENERIC = "the README's 'TapFlow scripts' section lists what tapflow supports";

    /** Flow methods and what to use instead. */
    static final Map<String, String> FLOW = flow();
    /** DataSource methods and what to use instead. */
    static final Map<String, String> DATA_SOURCE = dataSource();

    private UnsupportedCalls() {}

    private static Map<String, String> flow() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("merge", "use lookup(...) to embed the rows of another table");
        m.put("flat_unwind", "use unwind(field): one row per array element");
        m.put("embedded_unwind", "use unwind(field): one row per array element");
        m.put("exclude_type", "use exclude(field, ...) naming the fields");
        m.put("adjust_time", "use add_field(name, expression) or js(code) with JavaScript date arithmetic");
        m.put("type_adjust", "use change_type(field, type)");
        // TapFlow's older camelCase spellings (lib/data_pipeline/pipeline.py): without them a script heard
        // "did you mean 'type_adjust'?", which is refused in turn.
        m.put("typeAdjust", m.get("type_adjust"));
        m.put("adjustTime", m.get("adjust_time"));
        m.put("mode", "a tapflow pipeline always runs as TapFlow's 'sync' mode does (a snapshot, then every change); "
                + "leave mode(...) out");
        m.put("processor", "use js(code) or py(function)");
        m.put("func", "use js(code) or py(function)");
        for (String name : List.of("full_sync", "sync_type", "only_cdc", "config_cdc_start_time", "start_at", "readLogFrom")) {
            m.put(name, ALWAYS_SNAPSHOT_THEN_CHANGES);
        }
        for (String name : List.of("status", "stats", "metrics", "monitor", "check", "full_qps", "cdc_qps", "replicate_lag",
                "delay", "has_retry", "wait_cdc_0", "wait_delay", "wait_status", "wait_stats", "wait_initial_complete",
                "wait_initial_sync", "wait_cdc_delay", "wait_oracle_cdc_started")) {
            m.put(name, JOB_CONTROL);
        }
        m.put("stop", "use 'tapflow stop <name>' (or Ctrl-C for 'tapflow run')");
        m.put("reset", "use 'tapflow run --fresh <pipeline>' to start over with a new snapshot");
        m.put("delete", "use 'tapflow delete <name>'");
        m.put("show", "use 'show <name>' in 'tapflow shell', or 'tapflow explain <file>'");
        m.put("preview", "use 'peek <table>' in 'tapflow shell'");
        for (String name : List.of("if_condition", "depend", "materialize", "copy", "get",
                "enableLatencyMeasure", "enableShareCdc", "accurateDelay", "config", "circle_sync", "cache")) {
            m.put(name, GENERIC);
        }
        return Map.copyOf(m);
    }

    private static Map<String, String> dataSource() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("desc", "use 'desc <table>' in 'tapflow shell'");
        m.put("status", "use 'tapflow datasource test <name>'");
        m.put("validate", "use 'tapflow datasource test <name>'");
        m.put("delete", "use 'tapflow datasource remove <name>'");
        m.put("list", "use 'tapflow datasource list'");
        for (String name : List.of("get", "to_dict", "to_pdk_dict", "props")) {
            m.put(name, GENERIC);
        }
        return Map.copyOf(m);
    }
}
