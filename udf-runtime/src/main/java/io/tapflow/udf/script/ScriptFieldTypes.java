package io.tapflow.udf.script;

import io.tapflow.dsl.FieldType;
import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.TapflowException;
import java.util.Map;
import org.graalvm.polyglot.Value;

/**
 * Field types as scripts name them: tapflow's names ({@code string}, {@code integer}, ...) and TapFlow's
 * ({@code String}, {@code Long}, {@code BigDecimal}, ... of its {@code add_fields}), and TapFlow's argument order of
 * {@code add_field(name, type, expression)} beside tapflow's {@code add_field(name, expression, type)}.
 */
final class ScriptFieldTypes {
    /** TapFlow's type names that are not tapflow's own (compared without case). */
    private static final Map<String, FieldType> TAPFLOW_NAMES = Map.of("long", FieldType.INTEGER, "int", FieldType.INTEGER,
            "bigdecimal", FieldType.DECIMAL, "float", FieldType.DOUBLE, "number", FieldType.DOUBLE);

    private ScriptFieldTypes() {}

    static FieldType of(String name) {
        FieldType tapflow = TAPFLOW_NAMES.get(name.trim().toLowerCase());
        if (tapflow != null) {
            return tapflow;
        }
        if (name.equalsIgnoreCase("map") || name.equalsIgnoreCase("array")) {
            throw new TapflowException("field type '" + name + "' is not a row value here: make the value a JSON text "
                    + "(JSON.stringify(...)) and use 'string'");
        }
        return FieldType.of(name.trim());
    }

    private static boolean isTypeName(String text) {
        try {
            of(text);
            return true;
        } catch (TapflowException e) {
            return false;
        }
    }

    /**
     * The value of {@code add_field(name, expression[, type])}; TapFlow's order {@code add_field(name, type, expression)}
     * is recognised by its second argument naming a type and its third not.
     */
    static FieldValue addedValue(Value[] a) {
        String call = "add_field(name, expression[, type])";
        String second = ScriptArgs.string(a, 1, call);
        String third = ScriptArgs.optionalString(a, 2, call);
        if (third != null && isTypeName(second) && !isTypeName(third)) {
            return FieldValue.expression(third, of(second));
        }
        return third == null ? FieldValue.expression(second) : FieldValue.expression(second, of(third));
    }
}
