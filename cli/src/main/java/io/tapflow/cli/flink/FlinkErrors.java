package io.tapflow.cli.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Flink's REST error bodies (a list of Java stack traces) into the one line that explains them: the message
 * of the job's main method when it failed, else the deepest "Caused by" line.
 */
final class FlinkErrors {
    private static final Pattern MAIN_FAILED = Pattern.compile("The main method caused an error: (.*)");
    private static final Pattern CAUSED_BY = Pattern.compile("Caused by: ([\\w.$]+(?:Exception|Error)): (.*)");

    private FlinkErrors() {}

    static String of(JsonNode json, String rawBody) {
        StringBuilder all = new StringBuilder();
        json.path("errors").forEach(e -> all.append(e.asText()).append('\n'));
        String text = all.length() == 0 ? rawBody : all.toString();
        Matcher main = MAIN_FAILED.matcher(text);
        if (main.find()) {
            return main.group(1).trim();
        }
        String deepest = null;
        Matcher cause = CAUSED_BY.matcher(text);
        while (cause.find()) {
            deepest = cause.group(2).trim();
        }
        if (deepest != null) {
            return deepest;
        }
        String firstLine = text.lines().findFirst().orElse("").trim();
        return firstLine.isEmpty() ? "no reason given" : firstLine;
    }
}
