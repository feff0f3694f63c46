package io.tapflow.udf.script;

import io.tapflow.dsl.ClosestName;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.udf.GuestLanguage;
import io.tapflow.udf.PythonTracebacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

/**
 * Runs a pipeline script ({@code .py} on GraalPy, {@code .js} on GraalJS) with the DSL preloaded:
 * {@code DataSource}, {@code Flow} and {@code Pipeline}. Nothing runs on Flink here: the result holds validated
 * pipelines, and any error names the script file and line, e.g. {@code orders.py:9: unknown datasource ...}.
 */
public final class PipelineScripts {
    /** The attribute of a Python exception raised by tapflow's helper code that holds the script line to name. */
    static final String ERROR_LINE = "_tapflow_error_line";

    private PipelineScripts() {}

    public static boolean isScript(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".py") || name.endsWith(".js");
    }

    public static ScriptResult run(Path file, Map<String, DataSource> catalog) {
        GuestLanguage language = file.getFileName().toString().endsWith(".py") ? GuestLanguage.PYTHON : GuestLanguage.JS;
        String name = file.getFileName().toString();
        Source source;
        try {
            // From the file, so that Python's inspect can read a UDF's source back from it; Python with TapFlow's
            // method lines joined (line for line, so inspect and error lines still match the file).
            Source.Builder builder = Source.newBuilder(language.id(), file.toFile()).name(name);
            if (language == GuestLanguage.PYTHON) {
                builder.content(PythonLines.joinMethodLines(Files.readString(file)));
            }
            source = builder.build();
        } catch (IOException e) {
            throw new TapflowException("cannot read pipeline script " + file + ": " + e.getMessage(), e);
        }
        try (DslContext dsl = new DslContext(language, name, catalog)) {
            dsl.eval(source);
            return dsl.session().result();
        }
    }

    /** The methods of a {@code Flow}, in their Python spelling: the steps and {@code save}/{@code start}. */
    public static List<String> flowMethods() {
        return new ScriptSession("", Map.of(), null, () -> 0).flow(new Value[] {Value.asValue("_")}).primaryNames();
    }

    /** Turns an error of a script into {@code file:line: message}. */
    static final class ScriptErrors {
        private static final Pattern PYTHON_LOCATION = Pattern.compile(" \\([^()]*, line \\d+\\)$");
        private static final Pattern UNKNOWN_METHOD = Pattern.compile(
                "(\\w+: )?invokeMember \\((\\w+)\\) on (\\w+)\\[(.*)] failed due to: Unknown identifier: \\w+");
        private ScriptErrors() {}

        static TapflowException of(PolyglotException e, Source source, GuestLanguage language) {
            String file = source.getName();
            String message;
            int line;
            if (e.isHostException()) {
                Throwable host = e.asHostException();
                message = host instanceof TapflowException ? host.getMessage() : host.toString();
                line = host instanceof ScriptCallException call && call.line() > 0 ? call.line() : line(e, file, language);
            } else if (e.isSyntaxError()) {
                // The line leads the message; GraalPy's own "(file, line n)" would repeat it, or contradict it.
                // GraalJS adds its own "file:line:column" and caret lines below: the line leads the message already.
                message = language.displayName() + " syntax error: " + PYTHON_LOCATION.matcher(e.getMessage()
                        .lines().findFirst().orElse("").replaceFirst(" \\S+:\\d+:\\d+ ", " ")).replaceAll("");
                line = syntaxErrorLine(e, source, language, file);
            } else {
                message = unknownMethod(e.getMessage());
                line = line(e, file, language);
            }
            return new TapflowException(file + (line > 0 ? ":" + line : "") + ": " + message, e);
        }

        /**
         * GraalJS's {@code invokeMember (exlude) on Flow[...] failed due to: Unknown identifier: exlude} as the Python
         * scripts say it: {@code Flow has no method 'exlude'; did you mean 'exclude'?}.
         */
        private static String unknownMethod(String message) {
            Matcher m = UNKNOWN_METHOD.matcher(message);
            if (!m.matches()) {
                return message;
            }
            // The error type before the message is optional in the pattern: an absent group is null, not "".
            return Objects.requireNonNullElse(m.group(1), "") + m.group(3) + " has no method '" + m.group(2) + "'"
                    + ClosestName.hint(m.group(2), List.of(m.group(4).split(", ")));
        }

        /** GraalPy puts every "unexpected indent" on line 1: that one is found here the way Python's tokenizer does. */
        private static int syntaxErrorLine(PolyglotException e, Source source, GuestLanguage language, String file) {
            if (language == GuestLanguage.PYTHON && e.getMessage().contains("unexpected indent")) {
                int line = PythonLines.unexpectedIndent(source.getCharacters().toString());
                if (line > 0) {
                    return line;
                }
            }
            return line(e, file, language);
        }

        private static int line(PolyglotException e, String file, GuestLanguage language) {
            if (language == GuestLanguage.PYTHON && e.isGuestException() && !e.isSyntaxError()) {
                Value error = e.getGuestObject();
                if (error != null && error.hasMember(ERROR_LINE)) {
                    return error.getMember(ERROR_LINE).asInt();
                }
                int line = PythonTracebacks.innermostLine(error, file);
                if (line > 0) {
                    return line;
                }
            }
            int line = 0;
            for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
                SourceSection s = frame.getSourceLocation();
                if (frame.isGuestFrame() && s != null && s.getSource().getName().equals(file) && s.hasLines()) {
                    // A JavaScript frame's section is the whole call, which in a chain of one method per line
                    // starts at the chain's first line and ends on the line of the failing method.
                    return language == GuestLanguage.JS ? s.getEndLine() : s.getStartLine();
                }
            }
            SourceSection location = e.getSourceLocation();
            if (location != null && location.getSource().getName().equals(file) && location.hasLines()) {
                line = location.getStartLine();
            }
            return line;
        }
    }
}
