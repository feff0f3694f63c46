package io.tapflow.dsl;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JSON syntax error in plain words ({@code a comma after the last field: JSON allows none before '}'}) instead of
 * Jackson's, which names character codes and parser features. Never quotes the file's text: it may hold a password.
 */
final class JsonSyntax {
    private static final Pattern UNEXPECTED = Pattern.compile("(?s)Unexpected character \\('(.)' \\(code \\d+\\)\\): (.*)");
    private static final Pattern CLOSE = Pattern.compile("(?s)Unexpected close marker '(.)': expected '(.)'.*");
    private static final Pattern UNCLOSED = Pattern.compile("(?s)Unexpected end-of-input: expected close marker for (Object|Array)"
            + ".*?line: (\\d+), column: (\\d+).*");

    private JsonSyntax() {}

    /**
     * Reads the text as plain JSON first, so a syntax error is reported as one (with its exact place) and not as
     * whatever the data binding makes of it halfway through a record.
     */
    static void check(ObjectMapper mapper, String json, String origin) {
        // Jackson reads an empty text as no value at all and then says "No content to map due to end-of-input".
        if (json.isBlank()) {
            throw new InvalidDefinitionException(origin, List.of("the file is empty; it must hold one JSON object { ... }"));
        }
        try {
            mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw error(origin, e);
        }
    }

    /** {@code file:line:column: what is wrong}. */
    private static InvalidDefinitionException error(String origin, JsonProcessingException e) {
        String message = e.getOriginalMessage();
        JsonLocation at = e.getLocation();
        if (at == null || at.getLineNr() < 0) {
            return new InvalidDefinitionException(origin, List.of(plain(message)));
        }
        // Jackson's column is the one after a character it could not take: point at that character.
        int column = UNEXPECTED.matcher(message).matches() || CLOSE.matcher(message).matches()
                ? Math.max(1, at.getColumnNr() - 1) : at.getColumnNr();
        return new InvalidDefinitionException(origin + ":" + at.getLineNr() + ":" + column, List.of(plain(message)));
    }

    private static String plain(String message) {
        Matcher m = UNEXPECTED.matcher(message);
        if (m.matches()) {
            return unexpected(m.group(1).charAt(0), m.group(2));
        }
        m = CLOSE.matcher(message);
        if (m.matches()) {
            return "'" + m.group(1) + "' closes a " + kind(m.group(2)) + " that needs '" + m.group(2) + "' first";
        }
        m = UNCLOSED.matcher(message);
        if (m.matches()) {
            String close = m.group(1).equals("Object") ? "}" : "]";
            return "the file ends before the " + kind(close) + " opened at line " + m.group(2) + ", column " + m.group(3)
                    + " is closed with '" + close + "'";
        }
        if (message.startsWith("Unrecognized token")) {
            return "a word that is no JSON value; texts need double quotes, other values are numbers, true, false, null, "
                    + "[ ... ] or { ... }";
        }
        if (message.startsWith("Illegal unquoted character")) {
            return "a line break or control character inside a text; write it as \\n or \\t";
        }
        if (message.startsWith("Non-standard token")) {
            return "NaN and Infinity are not JSON numbers; write a number or null";
        }
        if (message.startsWith("Invalid numeric value: Leading zeroes")) {
            return "a number with a leading zero; write 1, not 01 (or a text in double quotes)";
        }
        return DefinitionJson.oneLine(message);
    }

    private static String unexpected(char found, String expected) {
        if (expected.contains("double-quote to start field name")) {
            return found == '}' ? "a comma after the last field; JSON allows none before '}'"
                    : found == '\'' ? "a field name in single quotes; JSON needs double quotes: \"name\""
                    : "a field name needs double quotes: \"name\" : value";
        }
        if (expected.startsWith("expected a valid value")) {
            return found == ']' ? "a comma after the last value; JSON allows none before ']'"
                    : found == '\'' ? "a text in single quotes; JSON needs double quotes: \"text\""
                    : "'" + found + "' where a value belongs; a value is a \"text\", a number, true, false, null, [ ... ] or { ... }";
        }
        if (expected.startsWith("was expecting comma to separate")) {
            return "a comma is missing before '" + found + "'; separate " + (expected.contains("Object") ? "fields" : "values")
                    + " with ','";
        }
        if (expected.startsWith("was expecting a colon")) {
            return "a colon is missing after a field name: \"name\" : value";
        }
        if (expected.startsWith("maybe a (non-standard) comment")) {
            return "a comment; JSON has no comments, remove it";
        }
        return "unexpected '" + found + "'";
    }

    private static String kind(String close) {
        return close.equals("}") ? "object { ... }" : "list [ ... ]";
    }
}
