package io.tapflow.dsl;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A kind of source schema change, each a row of the README's policy table; a pipeline may give one a policy of its own. */
public enum SchemaChangeKind {
    @JsonProperty("add_column") ADD_COLUMN,
    @JsonProperty("drop_column") DROP_COLUMN,
    @JsonProperty("rename_column") RENAME_COLUMN,
    @JsonProperty("modify_column") MODIFY_COLUMN,
    @JsonProperty("create_table") CREATE_TABLE,
    @JsonProperty("drop_table") DROP_TABLE,
    @JsonProperty("truncate") TRUNCATE;

    public static SchemaChangeKind of(String name) {
        return DefinitionNames.of(SchemaChangeKind.class, name, "kind of schema change");
    }

    /** The name as definitions write it: {@code add_column}, {@code drop_column}, ... */
    public String text() {
        return DefinitionNames.text(this);
    }
}
