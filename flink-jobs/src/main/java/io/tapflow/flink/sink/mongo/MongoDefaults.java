package io.tapflow.flink.sink.mongo;

import io.tapflow.flink.schema.Column;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.Set;

/**
 * The document value of a source column's constant DEFAULT ({@code 'd'}, {@code 7}; see {@code ConstantDefaults}),
 * which documents that existed when the column was added take, as the source's rows did; the value a row of that
 * column would bring. Empty when the constant has no exact document form here (a quoted date, an escape sequence).
 */
final class MongoDefaults {
    private static final Set<String> TEXT = Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set");
    private static final Set<String> INT = Set.of("tinyint", "smallint", "mediumint", "int", "integer");

    private MongoDefaults() {}

    static Optional<Object> value(Column column, String constant) {
        boolean quoted = constant.startsWith("'") && constant.endsWith("'") && constant.length() >= 2;
        String type = column.dataType();
        if (TEXT.contains(type)) {
            return quoted && !constant.contains("\\")
                    ? Optional.of(constant.substring(1, constant.length() - 1).replace("''", "'")) : Optional.empty();
        }
        if (quoted) {
            return Optional.empty();
        }
        BigDecimal number;
        try {
            number = new BigDecimal(constant);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        boolean integral = number.stripTrailingZeros().scale() <= 0;
        // As rows bring them: an unsigned int as a long, the other integers up to int as an int.
        boolean wideInt = column.unsigned() && (type.equals("int") || type.equals("integer"));
        if (INT.contains(type) && integral && !wideInt) {
            return Optional.of(number.intValueExact());
        }
        if ((wideInt || type.equals("bigint") && !column.unsigned()) && integral) {
            return Optional.of(number.longValueExact());
        }
        if (type.equals("decimal") || type.equals("numeric")) {
            return Optional.of(MongoValues.toBson(number));
        }
        return type.equals("float") || type.equals("double") || type.equals("real")
                ? Optional.of(number.doubleValue()) : Optional.empty();
    }
}
