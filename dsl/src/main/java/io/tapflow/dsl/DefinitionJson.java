package io.tapflow.dsl;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The JSON form of datasources, pipelines, data APIs and job specs: the one stored in the catalog and shipped to Flink. */
public final class DefinitionJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS);

    private DefinitionJson() {}

    public static String toJson(Object definition) {
        try {
            return MAPPER.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new TapflowException("cannot write " + definition.getClass().getSimpleName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static Pipeline pipeline(String json, String origin) {
        return read(json, Pipeline.class, origin);
    }

    public static DataSource dataSource(String json, String origin) {
        return read(json, DataSource.class, origin);
    }

    public static io.tapflow.dsl.api.Api api(String json, String origin) {
        return read(json, io.tapflow.dsl.api.Api.class, origin);
    }

    public static JobSpec jobSpec(String json, String origin) {
        return read(json, JobSpec.class, origin);
    }

    private static <T> T read(String json, Class<T> type, String origin) {
        try {
            return MAPPER.readValue(json, type);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidDefinitionException(origin + where(e.getLocation()), List.of("unknown field '" + e.getPropertyName()
                    + "'; allowed here: " + e.getKnownPropertyIds()));
        } catch (InvalidTypeIdException e) {
            throw new InvalidDefinitionException(origin + where(e.getLocation()), List.of(unknownType(e)));
        } catch (JsonProcessingException e) {
            throw new InvalidDefinitionException(origin + where(e.getLocation()), List.of(oneLine(e.getOriginalMessage())));
        }
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

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? "" : ":" + location.getLineNr();
    }
}
