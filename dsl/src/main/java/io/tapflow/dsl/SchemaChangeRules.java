package io.tapflow.dsl;

import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The schema-change policy a pipeline applies to each kind of change: its base policy, except for the kinds it
 * overrides (base evolve with {@code drop_column} lenient keeps dropped columns in the target).
 */
public record SchemaChangeRules(SchemaChangePolicy base, Map<SchemaChangeKind, SchemaChangePolicy> overrides)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public SchemaChangeRules {
        base = base == null ? SchemaChangePolicy.LENIENT : base;
        // An EnumMap keeps the kinds in the README's order, so equal rules print and compare alike.
        Map<SchemaChangeKind, SchemaChangePolicy> ordered = new EnumMap<>(SchemaChangeKind.class);
        if (overrides != null) {
            ordered.putAll(overrides);
        }
        overrides = Collections.unmodifiableMap(ordered);
    }

    /** Rules with every kind under one policy. */
    public static SchemaChangeRules of(SchemaChangePolicy base) {
        return new SchemaChangeRules(base, Map.of());
    }

    /** Reads overrides as definitions write them ({@code "drop_column": "lenient"}), refusing unknown kinds and policies. */
    public static Map<SchemaChangeKind, SchemaChangePolicy> parse(Map<String, String> texts) {
        Map<SchemaChangeKind, SchemaChangePolicy> out = new EnumMap<>(SchemaChangeKind.class);
        if (texts != null) {
            texts.forEach((kind, policy) -> out.put(SchemaChangeKind.of(kind), SchemaChangePolicy.of(policy)));
        }
        return out;
    }

    /** The overrides as definitions write them, in the README's order of kinds. */
    public static Map<String, String> texts(Map<SchemaChangeKind, SchemaChangePolicy> overrides) {
        Map<String, String> out = new LinkedHashMap<>();
        new TreeMap<>(overrides).forEach((kind, policy) -> out.put(kind.text(), policy.text()));
        return out;
    }

    /** The policy for one kind of change. */
    public SchemaChangePolicy policyFor(SchemaChangeKind kind) {
        return overrides.getOrDefault(kind, base);
    }

    /** For messages and logs: {@code evolve}, or {@code evolve, drop_column lenient}. */
    public String describe() {
        StringBuilder s = new StringBuilder(base.text());
        texts(overrides).forEach((kind, policy) -> s.append(", ").append(kind).append(' ').append(policy));
        return s.toString();
    }
}
