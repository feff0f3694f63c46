package io.tapflow.udf.script;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.dsl.UdfLimits;
import io.tapflow.udf.GuestLanguage;
import io.tapflow.udf.GuestSandbox;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyInstantiable;

/**
 * A guest context with the DSL bound ({@code DataSource}, {@code Flow} and {@code Pipeline}) and the session that
 * records what the code evaluated in it saved and started.
 */
final class DslContext implements AutoCloseable {
    private static final String PYTHON_HELPERS = "import inspect as _i, textwrap as _t, sys as _s\n"
            + "def _tapflow_source_of(f):\n    lines, start = _i.getsourcelines(f)\n"
            + "    return [_t.dedent(''.join(lines)), f.__name__, str(start)]\n"
            // Frame 1 is the script's frame that called the DSL: GraalPy's polyglot stack has no lines for it.
            + "def _tapflow_line():\n    return _s._getframe(1).f_lineno\n";

    private final GuestLanguage language;
    private final Context context;
    private final ScriptSession session;

    /** @param scriptName the name errors and UDF locations show for the code evaluated here */
    DslContext(GuestLanguage language, String scriptName, Map<String, DataSource> catalog) {
        this.language = language;
        // Scripts are the user's own program, like a Java main: they may read files (Python's inspect reads the
        // script to ship a UDF's source), but still get no host classes.
        this.context = GuestSandbox.newContext(language, new UdfLimits(Long.MAX_VALUE, true));
        try {
            session = language == GuestLanguage.PYTHON
                    ? new ScriptSession(scriptName, catalog, pythonSourceOf(context), pythonCallerLine(context))
                    : new ScriptSession(scriptName, catalog, null, () -> 0);
            Value bindings = context.getBindings(language.id());
            bindings.putMember("DataSource", new Constructor(session::dataSource));
            bindings.putMember("Flow", new Constructor(session::flow));
            bindings.putMember("Pipeline", new Constructor(session::flow));
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    ScriptSession session() {
        return session;
    }

    /** Evaluates code; an error becomes {@code name:line: message}. */
    void eval(Source source) {
        try {
            context.eval(source);
        } catch (PolyglotException e) {
            throw PipelineScripts.ScriptErrors.of(e, source.getName(), language);
        }
    }

    /** Stops code running in this context on another thread; the context stays usable. */
    void interrupt(Duration wait) {
        try {
            context.interrupt(wait);
        } catch (TimeoutException e) {
            throw new TapflowException("the " + language.displayName() + " code did not stop within " + wait.toSeconds() + " s", e);
        }
    }

    @Override
    public void close() {
        context.close(true); // true: code still running when its owner leaves is cancelled, not waited for
    }

    private static IntSupplier pythonCallerLine(Context context) {
        Value line = context.getBindings(GuestLanguage.PYTHON.id()).getMember("_tapflow_line");
        return () -> line.execute().asInt();
    }

    private static Function<Value, String[]> pythonSourceOf(Context context) {
        context.eval(GuestLanguage.PYTHON.id(), PYTHON_HELPERS);
        Value sourceOf = context.getBindings(GuestLanguage.PYTHON.id()).getMember("_tapflow_source_of");
        return f -> {
            Value pair = sourceOf.execute(f);
            return new String[] {pair.getArrayElement(0).asString(), pair.getArrayElement(1).asString(),
                pair.getArrayElement(2).asString()};
        };
    }

    /** A DSL type: callable as a function (Python, JavaScript) and with {@code new} (JavaScript). */
    private record Constructor(Function<Value[], Object> make) implements ProxyExecutable, ProxyInstantiable {
        @Override
        public Object execute(Value... arguments) {
            return make.apply(arguments);
        }

        @Override
        public Object newInstance(Value... arguments) {
            return make.apply(arguments);
        }
    }
}
