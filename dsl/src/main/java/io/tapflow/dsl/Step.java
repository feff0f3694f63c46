package io.tapflow.dsl;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One transform between source and target. Each step has a stable {@link #id()}: the Flink operator uid derives from
 * it, so savepoints keep matching when steps are added elsewhere in the chain.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Step.AddField.class, name = "add_field"),
        @JsonSubTypes.Type(value = Step.Filter.class, name = "filter"),
        @JsonSubTypes.Type(value = Step.IncludeFields.class, name = "include_fields"),
        @JsonSubTypes.Type(value = Step.ExcludeFields.class, name = "exclude_fields"),
        @JsonSubTypes.Type(value = Step.RenameFields.class, name = "rename_fields"),
        @JsonSubTypes.Type(value = Step.ChangeType.class, name = "change_type"),
        @JsonSubTypes.Type(value = Step.ValueMap.class, name = "value_map"),
        @JsonSubTypes.Type(value = Step.Unwind.class, name = "unwind"),
        @JsonSubTypes.Type(value = Step.RenameTables.class, name = "rename_tables"),
        @JsonSubTypes.Type(value = Step.JsUdf.class, name = "js"),
        @JsonSubTypes.Type(value = Step.PyUdf.class, name = "py"),
        @JsonSubTypes.Type(value = Step.Lookup.class, name = "lookup")})
public sealed interface Step extends java.io.Serializable {

    @JsonIgnore
    String id();

    /** Sets a field on the row image of every snapshot row, insert and update. */
    record AddField(String field, FieldValue value) implements Step {
        @Override
        public String id() {
            return "add-field-" + field;
        }
    }

    /**
     * Keeps ({@code keep} true) or drops the rows for which a JavaScript expression over {@code record} is true. An
     * update whose new row no longer passes becomes a delete of the old row, so the target never keeps stale rows.
     */
    record Filter(String expression, boolean keep) implements Step {
        @Override
        public String id() {
            return StepIds.of(keep ? "filter-keep" : "filter-drop", expression);
        }
    }

    /** Keeps only these fields (and always the target key). */
    record IncludeFields(List<String> fields) implements Step {
        public IncludeFields {
            fields = fields == null ? List.of() : List.copyOf(fields);
        }

        @Override
        public String id() {
            return StepIds.of("include-fields", fields);
        }
    }

    /** Removes these fields. */
    record ExcludeFields(List<String> fields) implements Step {
        public ExcludeFields {
            fields = fields == null ? List.of() : List.copyOf(fields);
        }

        @Override
        public String id() {
            return StepIds.of("exclude-fields", fields);
        }
    }

    /** Renames fields, old name to new name, in the order given. */
    record RenameFields(Map<String, String> renames) implements Step {
        public RenameFields {
            renames = renames == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(renames));
        }

        @Override
        public String id() {
            return StepIds.of("rename-fields", renames);
        }
    }

    /** Converts a field's value to another type; a value that does not convert is an error of this step. */
    record ChangeType(String field, FieldType to) implements Step {
        @Override
        public String id() {
            return "change-type-" + field;
        }
    }

    /** Replaces a field's value by the mapped one (compared as text); unmapped values keep their text form. */
    record ValueMap(String field, Map<String, String> values) implements Step {
        public ValueMap {
            values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        @Override
        public String id() {
            return "value-map-" + field;
        }
    }

    /**
     * Turns a row whose field holds a JSON array into one row per element; {@code indexField} holds the element's
     * position and joins the target key, so updates and deletes reach exactly the rows they produced before.
     */
    record Unwind(String field, String indexField) implements Step {
        @Override
        public String id() {
            return "unwind-" + field;
        }
    }

    /**
     * Writes each source table to a target table named {@code prefix + name + suffix}, then put in {@code nameCase}
     * (the whole name, so a lower-cased name is fit for Elasticsearch whatever the prefix). JSON: {@code "case"}.
     */
    record RenameTables(String prefix, String suffix,
                        @JsonProperty("case") @JsonInclude(value = JsonInclude.Include.CUSTOM,
                                valueFilter = UnchangedCase.class) NameCase nameCase) implements Step {
        public RenameTables {
            prefix = prefix == null ? "" : prefix;
            suffix = suffix == null ? "" : suffix;
            nameCase = nameCase == null ? NameCase.UNCHANGED : nameCase;
        }

        public RenameTables(String prefix, String suffix) {
            this(prefix, suffix, NameCase.UNCHANGED);
        }

        /** The target table name for a table that would otherwise be written to {@code table}. */
        public String apply(String table) {
            return nameCase.apply(prefix + table + suffix);
        }

        @Override
        public String id() {
            // Without a case change the id stays what it was before the case existed (savepoints name it).
            return StepIds.of("rename-tables", prefix + "\u0000" + suffix
                    + (nameCase == NameCase.UNCHANGED ? "" : "\u0000" + nameCase.jsonName()));
        }
    }

    /** Leaves {@code "case": "unchanged"} out of the JSON form, as definitions written before it have none. */
    final class UnchangedCase {
        @Override
        public boolean equals(Object value) {
            return value == null || value == NameCase.UNCHANGED;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /**
     * A JavaScript function body run per row with {@code record}, {@code op} and {@code table} in scope. It returns the
     * record (changed or not), null to drop it, or an array of records to fan out.
     */
    record JsUdf(String code) implements Step {
        @Override
        public String id() {
            return StepIds.of("js", code);
        }
    }

    /**
     * A Python function, shipped as its source, called per row as {@code function(record)}; returns like {@link JsUdf}.
     * {@code origin} ({@code "orders.py:4"}, or null) is where the function starts in a pipeline script, so that errors
     * point at the script's lines.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PyUdf(String source, String function, String origin) implements Step {
        public PyUdf(String source, String function) {
            this(source, function, null);
        }

        @Override
        public String id() {
            return "py-" + function;
        }
    }

    /**
     * Joins the rows of another table into each row and keeps them current as either side changes (TapFlow's
     * {@code lookup}, TapData's master-slave merge). {@code on} pairs fields of this row with fields of the looked-up
     * rows. With {@code many} false the one matching row becomes the object field {@code as} (null when none matches),
     * or, with {@code flattenPrefix} instead of {@code as}, its fields are added to this row under that prefix. With
     * {@code many} true every matching row becomes an element of the array field {@code as}, ordered by
     * {@code arrayKey} (empty: the looked-up table's primary key). {@code steps} apply to the looked-up rows before
     * they are embedded and may look up themselves (nesting). Built with {@link Lookups}.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Lookup(String datasource, String table, List<JoinField> on, String as, Boolean many, List<String> arrayKey,
                  String flattenPrefix, List<Step> steps) implements Step {
        public Lookup {
            on = on == null ? List.of() : List.copyOf(on);
            many = Boolean.TRUE.equals(many);
            arrayKey = arrayKey == null ? List.of() : List.copyOf(arrayKey);
            steps = steps == null ? List.of() : List.copyOf(steps);
        }

        @Override
        public String id() {
            return as != null ? "lookup-" + as : StepIds.of("lookup-flatten", table + "\u0000" + flattenPrefix);
        }
    }

    /** One field pair of a lookup's join: {@code parent} in the row that embeds, {@code child} in the looked-up row. */
    record JoinField(String parent, String child) implements java.io.Serializable {}
}
