package io.tapflow.cli.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Flink's REST error bodies (a list of Java stack traces) into the one line that explains them: tapflow's own
 * error if the job's main method threw one (it names datasource, table or step), else the deepest cause (Flink's
 * outer messages, such as "Failed to execute job", say nothing about why), else the first line.
 */
final class FlinkErrors {
    private static final Pattern TAPFLOW_CAUSE = Pattern.compile("Caused by: io\\.tapflow\\.[\\w.$]+: (.*)");
    private static final Pattern CAUSED_BY = Pattern.compile("Caused by: ([\\w.$]+(?:Exception|Error)): (.*)");

    private FlinkErrors() {}

    static String of(JsonNode json, String rawBody) {
        StringBuilder all = new StringBuilder();
        json.path("errors").forEach(e -> all.append(e.asText()).append('\n'));
        String text = all.length() == 0 ? rawBody : all.toString();
        Matcher own = TAPFLOW_CAUSE.matcher(text);
        if (own.find()) {
            return own.group(1).trim();
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
