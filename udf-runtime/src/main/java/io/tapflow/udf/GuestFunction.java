package io.tapflow.udf;

import io.tapflow.dsl.UdfLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

/**
 * One piece of guest code compiled once in its own sandboxed context and called per row: a JavaScript UDF body, a
 * JavaScript expression, or a Python function. Not thread-safe: a Flink subtask makes its own in {@code open()}.
 */
public final class GuestFunction implements AutoCloseable {
    // The body starts on the wrapper's first line, so guest line numbers are the user's line numbers.
    private static final String JS_PARAMS = "(function(record, op, table) {";
    // Loading a language in a fresh context takes seconds on a stock JDK: the per-row limit does not apply to it.
    private static final Duration COMPILE_LIMIT = Duration.ofMinutes(2);

    private final String stepId;
    private final GuestLanguage language;
    private final Context context;
    private final CallWatchdog.Guard guard;
    private final long limitMs;
    private final String origin;
    private final Value function;

    private GuestFunction(String stepId, GuestLanguage language, UdfLimits limits, Source source, String functionName,
                          String origin) {
        this.stepId = stepId;
        this.origin = origin;
        this.language = language;
        this.limitMs = limits.timeLimitMs();
        this.context = GuestSandbox.newContext(language, limits);
        this.guard = CallWatchdog.guard(context, Duration.ofMillis(limitMs));
        try {
            Value evaluated = guarded(COMPILE_LIMIT, () -> context.eval(source));
            this.function = functionName == null ? evaluated : context.getBindings(language.id()).getMember(functionName);
            if (function == null || !function.canExecute()) {
                throw new GuestCodeException(stepId, 0, null, "the Python source defines no function '" + functionName + "'", null);
            }
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** A JavaScript function body with {@code record}, {@code op} and {@code table} in scope. */
    public static GuestFunction javaScriptBody(String stepId, String body, UdfLimits limits) {
        return new GuestFunction(stepId, GuestLanguage.JS, limits, js(stepId, JS_PARAMS + body + "\n})"), null, null);
    }

    /** A JavaScript expression; with {@code asBoolean} its result is JavaScript's truthiness of the value. */
    public static GuestFunction javaScriptExpression(String stepId, String expression, boolean asBoolean, UdfLimits limits) {
        String value = asBoolean ? "!!(" + expression + "\n)" : "(" + expression + "\n)";
        return new GuestFunction(stepId, GuestLanguage.JS, limits, js(stepId, JS_PARAMS + " return " + value + "; })"), null,
                null);
    }

    /**
     * A Python function, called as {@code function(record)}; {@code origin} ("orders.py:4" or null) is where its source
     * starts in a script, for error messages.
     */
    public static GuestFunction python(String stepId, String source, String function, String origin, UdfLimits limits) {
        return new GuestFunction(stepId, GuestLanguage.PYTHON, limits,
                Source.newBuilder(GuestLanguage.PYTHON.id(), source, stepId + ".py").buildLiteral(), function, origin);
    }

    private static Source js(String stepId, String code) {
        return Source.newBuilder(GuestLanguage.JS.id(), code, stepId + ".js").buildLiteral();
    }

    /** Runs a UDF on a copy of the row: the rows it returns, empty when it returned null/None. */
    public List<Map<String, Object>> applyTo(Map<String, Object> row, String op, String table) {
        RecordProxy record = new RecordProxy(new LinkedHashMap<>(row));
        return guarded(() -> {
            Value result = call(record, op, table);
            try {
                return UdfResults.rows(result, row);
            } catch (IllegalArgumentException e) {
                // origin: where a script's Python function starts, the only line to name for what it returned
                throw new GuestCodeException(stepId, 0, origin, e.getMessage(), null);
            }
        });
    }

    /** Evaluates an expression over the row, as a row value; the row is not changed. */
    public Object evaluate(Map<String, Object> row, String op, String table, String field) {
        return guarded(() -> {
            Value result = call(new RecordProxy(row), op, table);
            try {
                return GuestValues.toHost(result, null, field);
            } catch (IllegalArgumentException e) {
                throw new GuestCodeException(stepId, 0, null, e.getMessage(), null);
            }
        });
    }

    /** Evaluates a boolean expression over the row. */
    public boolean test(Map<String, Object> row, String op, String table) {
        return guarded(() -> call(new RecordProxy(row), op, table).asBoolean());
    }

    private Value call(RecordProxy record, String op, String table) {
        return language == GuestLanguage.PYTHON ? function.execute(record) : function.execute(record, op, table);
    }

    private <T> T guarded(java.util.function.Supplier<T> action) {
        return guarded(Duration.ofMillis(limitMs), action);
    }

    private <T> T guarded(Duration limit, java.util.function.Supplier<T> action) {
        guard.enter(limit.toNanos());
        try {
            return action.get();
        } catch (PolyglotException e) {
            throw translate(e);
        } finally {
            guard.exit();
        }
    }

    private GuestCodeException translate(PolyglotException e) {
        int line = line(e);
        if (guard.timedOut() || e.isInterrupted() || e.isCancelled()) {
            return new GuestCodeException(stepId, line, where(line), "ran longer than the time limit of " + limitMs
                    + " ms per row and was stopped (set a higher limit with udfLimits if it is not a runaway loop)", e);
        }
        String detail;
        if (e.isHostException()) {
            detail = e.asHostException().getMessage();
        } else if (e.isSyntaxError()) {
            // One line: GraalJS's caret lines below show the code wrapped in tapflow's function, with shifted columns,
            // and its "js-1a2b.js:1:41" names that wrapper (the step's line is said already).
            detail = language.displayName() + " syntax error: " + e.getMessage().lines().findFirst().orElse("")
                    .replaceFirst(" \\S+\\.js:\\d+:\\d+ ", " ");
        } else {
            detail = e.getMessage();
        }
        return new GuestCodeException(stepId, line, where(line), detail, e);
    }

    /** A line of the step's code as the user knows it: in the script it came from, or within the step. */
    private String where(int line) {
        if (line <= 0) {
            return null;
        }
        if (origin == null) {
            return "line " + line;
        }
        int colon = origin.lastIndexOf(':');
        return origin.substring(0, colon) + ":" + (Integer.parseInt(origin.substring(colon + 1)) + line - 1);
    }

    /** The line of the step's own code where the error happened (for Python: the innermost in the traceback). */
    private int line(PolyglotException e) {
        if (language == GuestLanguage.PYTHON && e.isGuestException() && !e.isSyntaxError()) {
            int line = PythonTracebacks.innermostLine(e.getGuestObject(), stepId + ".py");
            if (line > 0) {
                return line;
            }
        }
        SourceSection location = e.getSourceLocation();
        if (location != null && location.getSource().getName().startsWith(stepId)) {
            return location.getStartLine();
        }
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            SourceSection s = frame.getSourceLocation();
            if (frame.isGuestFrame() && s != null && s.getSource().getName().startsWith(stepId)) {
                return s.getStartLine();
            }
        }
        return 0;
    }

    @Override
    public void close() {
        guard.close();
        context.close(true);
    }
}
