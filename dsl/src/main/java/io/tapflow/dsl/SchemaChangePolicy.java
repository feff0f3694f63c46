package io.tapflow.dsl;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a pipeline does when a source table's columns change while it runs (see the README's "Schema changes"):
 * <ul>
 *   <li>{@code evolve}: added, dropped and renamed columns and type changes are made in the target too;</li>
 *   <li>{@code lenient} (the default): added columns and type changes reach the target; a dropped or renamed column's
 *       old target column stays, written NULL from then on;</li>
 *   <li>{@code ignore}: the target is left as it is, and new columns are not written;</li>
 *   <li>{@code fail}: the job stops with a message naming the change.</li>
 * </ul>
 */
public enum SchemaChangePolicy {
    @JsonProperty("evolve") EVOLVE,
    @JsonProperty("lenient") LENIENT,
    @JsonProperty("ignore") IGNORE,
    @JsonProperty("fail") FAIL;

    public static SchemaChangePolicy of(String name) {
        return DefinitionNames.of(SchemaChangePolicy.class, name, "schema-change policy");
    }

    /** The name as definitions write it: {@code evolve}, {@code lenient}, {@code ignore}, {@code fail}. */
    public String text() {
        return DefinitionNames.text(this);
    }

    /** Leaves the default out of the JSON form, so that definitions written before policies existed stay as they were. */
    static final class DefaultFilter {
        @Override
        public boolean equals(Object other) {
            return other == null || other == LENIENT;
        }

        @Override
        public int hashCode() {
            return LENIENT.hashCode();
        }
    }
}
