package io.tapflow.udf.script;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.udf.GuestLanguage;
import io.tapflow.udf.PythonTracebacks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
            // From the file, so that Python's inspect can read a UDF's source back from it.
            source = Source.newBuilder(language.id(), file.toFile()).name(name).build();
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
        private ScriptErrors() {}

        static TapflowException of(PolyglotException e, String file, GuestLanguage language) {
            String message;
            if (e.isHostException()) {
                Throwable host = e.asHostException();
                message = host instanceof TapflowException ? host.getMessage() : host.toString();
            } else if (e.isSyntaxError()) {
                message = language.displayName() + " syntax error: " + e.getMessage();
            } else {
                message = e.getMessage();
            }
            int line = e.isHostException() && e.asHostException() instanceof ScriptCallException call && call.line() > 0
                    ? call.line() : line(e, file, language);
            return new TapflowException(file + (line > 0 ? ":" + line : "") + ": " + message, e);
        }

        private static int line(PolyglotException e, String file, GuestLanguage language) {
            if (language == GuestLanguage.PYTHON && e.isGuestException() && !e.isSyntaxError()) {
                int line = PythonTracebacks.innermostLine(e.getGuestObject(), file);
                if (line > 0) {
                    return line;
                }
            }
            int line = 0;
            for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
                SourceSection s = frame.getSourceLocation();
                if (frame.isGuestFrame() && s != null && s.getSource().getName().equals(file) && s.hasLines()) {
                    return s.getStartLine();
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
