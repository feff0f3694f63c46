package io.tapflow.dsl;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.math.BigDecimal;
import java.math.BigInteger;

/** The value an {@link Step.AddField} step gives a field. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = FieldValue.ProcessingTime.class, name = "processing_time"),
        @JsonSubTypes.Type(value = FieldValue.Constant.class, name = "constant"),
        @JsonSubTypes.Type(value = FieldValue.Expression.class, name = "expression")})
public sealed interface FieldValue extends java.io.Serializable {

    /** The wall-clock time at which the record passes the step, as a UTC instant. */
    static FieldValue now() {
        return new ProcessingTime();
    }

    static FieldValue constant(Object value) {
        return new Constant(value);
    }

    /** The value of a JavaScript expression over {@code record}, as text, e.g. {@code record.first + ' ' + record.last}. */
    static FieldValue expression(String javaScript) {
        return new Expression(javaScript, FieldType.STRING);
    }

    /** The value of a JavaScript expression over {@code record}, converted to a type, e.g. {@code record.price * 2}. */
    static FieldValue expression(String javaScript, FieldType type) {
        return new Expression(javaScript, type);
    }

    /** A JavaScript expression evaluated per row; its result, converted to {@code type}, is the field's value. */
    record Expression(String expression, FieldType type) implements FieldValue {
        public Expression {
            type = type == null ? FieldType.STRING : type;
        }

        @Override
        public String toString() {
            return "expression(" + expression + ") as " + type.jsonName();
        }
    }

    /** Processing time: when the record passes the step. */
    record ProcessingTime() implements FieldValue {
        @Override
        public String toString() {
            return "now()";
        }
    }

    /** A fixed string, number or boolean. */
    record Constant(Object value) implements FieldValue {
        public Constant {
            // Numbers are kept as Long or BigDecimal, so a value read back from JSON equals the one written.
            if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof BigInteger) {
                value = ((Number) value).longValue();
            } else if (value instanceof Float || value instanceof Double) {
                value = new BigDecimal(value.toString());
            } else if (value != null && !(value instanceof String || value instanceof Boolean
                    || value instanceof Long || value instanceof BigDecimal)) {
                throw new TapflowException("a constant field value must be a string, number or boolean, got "
                        + value.getClass().getSimpleName());
            }
        }
    }
}
