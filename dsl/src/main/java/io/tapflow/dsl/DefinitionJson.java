package io.tapflow.dsl;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** The JSON form of datasources, pipelines, data APIs and job specs: the one stored in the catalog and shipped to Flink. */
public final class DefinitionJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS);
    /**
     * Pipelines and APIs: a number or boolean where a text belongs is refused, not turned into one ({@code "expression": 42}
     * would be the JavaScript {@code 42}, a filter keeping every row). Datasource options stay lenient ({@code "port": 3306}).
     */
    private static final ObjectMapper STRICT = MAPPER.copy();

    static {
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
            STRICT.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
    }

    private DefinitionJson() {}

    public static String toJson(Object definition) {
        try {
            return MAPPER.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new TapflowException("cannot write " + definition.getClass().getSimpleName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static Pipeline pipeline(String json, String origin) {
        return read(STRICT, json, Pipeline.class, origin);
    }

    public static DataSource dataSource(String json, String origin) {
        return read(MAPPER, json, DataSource.class, origin);
    }

    public static io.tapflow.dsl.api.Api api(String json, String origin) {
        return read(STRICT, json, io.tapflow.dsl.api.Api.class, origin);
    }

    public static JobSpec jobSpec(String json, String origin) {
        return read(STRICT, json, JobSpec.class, origin);
    }

    private static <T> T read(ObjectMapper mapper, String text, Class<T> type, String origin) {
        // Windows editors save UTF-8 with a byte order mark, which Jackson takes for a character before the JSON.
        String json = text.startsWith("\uFEFF") ? text.substring(1) : text;
        JsonSyntax.check(mapper, json, origin);
        try {
            return mapper.readValue(json, type);
        } catch (UnrecognizedPropertyException e) {
            List<String> known = e.getKnownPropertyIds().stream().map(String::valueOf).toList();
            throw new InvalidDefinitionException(origin + fieldLine(json, e.getPropertyName(), e.getLocation()), List.of("unknown field '"
                    + e.getPropertyName() + "'" + ClosestName.hint(e.getPropertyName(), known) + "; allowed here: " + known));
        } catch (InvalidTypeIdException e) {
            throw new InvalidDefinitionException(origin + where(e.getLocation()), List.of(unknownType(e)));
        } catch (MismatchedInputException e) {
            throw new InvalidDefinitionException(origin + where(e.getLocation()), List.of(mismatch(e)));
        } catch (JsonProcessingException e) {
            throw new InvalidDefinitionException(origin + where(e.getLocation()), List.of(oneLine(e.getOriginalMessage())));
        }
    }

    /**
     * A value of the wrong kind or a missing one, said with the field's name and the kind wanted
     * ({@code field 'parallelism': expected a whole number, got 1.5}) instead of Jackson's class names.
     */
    private static String mismatch(MismatchedInputException e) {
        String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .filter(n -> !n.equals("[-1]")).reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse(null);
        Class<?> wanted = e.getTargetType();
        String message = e.getOriginalMessage();
        if (wanted == null || !(message.startsWith("Cannot") || message.startsWith("Missing"))) {
            return oneLine(message);
        }
        String kind = wanted.isEnum() ? "one of " + enumNames(wanted)
                : wanted == String.class ? "a text in quotes"
                : wanted == boolean.class || wanted == Boolean.class ? "true or false"
                : wanted == int.class || wanted == Integer.class || wanted == long.class || wanted == Long.class ? "a whole number"
                : Collection.class.isAssignableFrom(wanted) || wanted.isArray() ? "a list [ ... ]"
                : wanted.isPrimitive() || Number.class.isAssignableFrom(wanted) ? null
                : "a JSON object { ... }";
        if (kind == null) {
            return oneLine(message);
        }
        String where = field == null ? "" : "field '" + field + "': ";
        boolean missing = message.startsWith("Cannot map `null`") || message.startsWith("Missing");
        // Where an object or list belongs only the kind of value is said: a mistyped "options" may hold a password.
        boolean scalar = wanted.isEnum() || !kind.endsWith("]") && !kind.endsWith("}");
        return where + (missing ? "missing; it must be " + kind
                : "expected " + kind + ", got " + (scalar ? given(message) : givenKind(message)));
    }

    /** An enum's values as the JSON form spells them ({@code @JsonProperty("lower")}). */
    private static List<String> enumNames(Class<?> type) {
        return Arrays.stream(type.getFields()).filter(Field::isEnumConstant)
                .map(f -> f.isAnnotationPresent(JsonProperty.class) ? f.getAnnotation(JsonProperty.class).value() : f.getName())
                .toList();
    }

    /** The kind of value the file held where an object belongs, from Jackson's {@code ... from Array value ...}. */
    private static String givenKind(String message) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("from (\\w+)").matcher(message);
        String kind = m.find() ? m.group(1) : "";
        return switch (kind) {
            case "Array" -> "a list [ ... ]";
            case "Object" -> "an object { ... }";
            case "String" -> "a text";
            case "Integer", "Floating" -> "a number";
            case "Boolean" -> "true or false";
            default -> "a value of another kind";
        };
    }

    /** What the file held, from Jackson's message ({@code Cannot coerce Integer value (42) to ...}). */
    private static String given(String message) {
        if (message.matches("(?s).*from (Array|Object) value.*")) {
            return givenKind(message);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("value \\((.*?)\\)|from String \"(.*?)\"|\\(([0-9.eE+-]+)\\)").matcher(message);
        if (!m.find()) {
            return givenKind(message);
        }
        return m.group(1) != null ? m.group(1) : m.group(2) != null ? "\"" + m.group(2) + "\"" : m.group(3);
    }

    /**
     * Jackson's message on one line: a {@code [Source: (String)"..."; line: 1, column: 1]} it holds quotes the whole file
     * (secrets included), so only its line and column are kept.
     */
    static String oneLine(String message) {
        return message.replaceAll("(?s)\\[Source: .*?; line: (\\d+), column: (\\d+)]", "line $1, column $2")
                .replaceAll("\\s*\\R\\s*", " ");
    }

    /** {@code unknown step type 'merge'; known types: add_field, filter, ...}, from the subtypes the base type declares. */
    private static String unknownType(InvalidTypeIdException e) {
        Class<?> base = e.getBaseType().getRawClass();
        JsonSubTypes subtypes = base.getAnnotation(JsonSubTypes.class);
        JsonTypeInfo info = base.getAnnotation(JsonTypeInfo.class);
        String what = base == Step.class ? "step type" : base.getSimpleName() + " " + (info == null ? "type" : info.property());
        String id = e.getTypeId() == null ? "" : e.getTypeId();
        String known = subtypes == null ? "" : "; known types: " + Arrays.stream(subtypes.value()).map(JsonSubTypes.Type::name)
                .sorted().collect(Collectors.joining(", "));
        return id.isEmpty() ? what + " missing (field '" + (info == null ? "type" : info.property()) + "')" + known
                : "unknown " + what + " '" + id + "'" + known;
    }

    /**
     * The line of an unknown field's name. Jackson reads the fields of a record before it knows which are unknown, so
     * its location is the end of the object; the field is its last {@code "name":} before that point.
     */
    private static String fieldLine(String json, String field, JsonLocation location) {
        long end = location == null ? -1 : location.getCharOffset();
        if (end < 0 || end > json.length()) {
            return where(location);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + java.util.regex.Pattern.quote(field) + "\"\\s*:")
                .matcher(json.substring(0, (int) end));
        int at = -1;
        while (m.find()) {
            at = m.start();
        }
        return at < 0 ? where(location) : ":" + (1 + json.substring(0, at).chars().filter(c -> c == '\n').count());
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? "" : ":" + location.getLineNr();
    }
}
