package io.tapflow.dsl;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One transform between source and target. Each step has a stable {@link #id()}: the Flink operator uid derives from
 * it, so savepoints keep matching when steps are added elsewhere in the chain.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = Step.AddField.class, name = "add_field")})
public sealed interface Step {

    @JsonIgnore
    String id();

    /** Sets a field on the row image of every snapshot row, insert and update. */
    record AddField(String field, FieldValue value) implements Step {
        @Override
        public String id() {
            return "add-field-" + field;
        }
    }
}
