package io.tapflow.dsl;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Reads a lower-case name of a definition's enum value ("evolve", "drop_column"), refusing others with the list of allowed ones. */
final class DefinitionNames {
    private DefinitionNames() {}

    static <E extends Enum<E>> E of(Class<E> type, String name, String what) {
        String wanted = name == null ? "" : name.trim().toLowerCase();
        E[] values = type.getEnumConstants();
        return Arrays.stream(values).filter(v -> text(v).equals(wanted)).findFirst()
                .orElseThrow(() -> new TapflowException("unknown " + what + " '" + name + "'; use one of: "
                        + Arrays.stream(values).map(DefinitionNames::text).collect(Collectors.joining(", "))));
    }

    static String text(Enum<?> value) {
        return value.name().toLowerCase();
    }
}
