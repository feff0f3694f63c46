package io.tapflow.udf.script;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.dsl.UdfLimits;
import io.tapflow.udf.GuestLanguage;
import io.tapflow.udf.GuestSandbox;
import io.tapflow.udf.PythonTracebacks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyInstantiable;

/**
 * Runs a pipeline script ({@code .py} on GraalPy, {@code .js} on GraalJS) with the DSL preloaded:
 * {@code DataSource}, {@code Flow} and {@code Pipeline}. Nothing runs on Flink here: the result holds validated
 * pipelines, and any error names the script file and line, e.g. {@code orders.py:9: unknown datasource ...}.
 */
public final class PipelineScripts {
    private static final String PYTHON_HELPERS = "import inspect as _i, textwrap as _t, sys as _s\n"
            + "def _tapflow_source_of(f):\n    lines, start = _i.getsourcelines(f)\n"
            + "    return [_t.dedent(''.join(lines)), f.__name__, str(start)]\n"
            // The script's frame that called the DSL: GraalPy's polyglot stack has no lines for it, and the keyword
            // wrappers below stand between, so skip the frames of this helper code.
            + "def _tapflow_line():\n    f = _s._getframe(1)\n"
            + "    while f.f_back is not None and f.f_code.co_filename == _tapflow_line.__code__.co_filename:\n"
            + "        f = f.f_back\n"
            + "    return f.f_lineno\n"
            // GraalPy passes no keyword arguments to host code: these wrappers put them in place by parameter name.
            + "def _tapflow_bind(call, params, args, kwargs):\n"
            + "    if not kwargs:\n        return args\n"
            + "    if not params:\n        raise TypeError(call + '() takes no keyword arguments')\n"
            + "    args = list(args)\n"
            + "    for key, value in kwargs.items():\n"
            + "        if key not in params:\n"
            + "            raise TypeError(call + '() has no argument ' + repr(key) + '; its arguments are: ' + ', '.join(params))\n"
            + "        i = params.index(key)\n"
            + "        if i < len(args) and args[i] is not None:\n"
            + "            raise TypeError(call + '() got argument ' + repr(key) + ' twice')\n"
            + "        args.extend([None] * (i + 1 - len(args)))\n"
            + "        args[i] = value\n"
            + "    return args\n"
            + "def _tapflow_wrap(result):\n"
            + "    return _TapflowObject(result) if hasattr(result, '" + HostObject.PARAMETERS + "') else result\n"
            + "class _TapflowObject:\n"
            + "    __slots__ = ('_host',)\n"
            + "    def __init__(self, host):\n        self._host = host\n"
            + "    def __getattr__(self, name):\n"
            + "        host = self._host\n        method = getattr(host, name)\n"
            + "        def call(*args, **kwargs):\n"
            + "            return _tapflow_wrap(method(*_tapflow_bind(name, list(host." + HostObject.PARAMETERS
            + "(name)), args, kwargs)))\n"
            + "        return call\n"
            + "def _tapflow_type(make, name, params):\n"
            + "    def new(*args, **kwargs):\n"
            + "        return _TapflowObject(make(*_tapflow_bind(name, list(params), args, kwargs)))\n"
            + "    return new\n";

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
        // Scripts are the user's own program, like a Java main: they may read files (Python's inspect reads the
        // script to ship a UDF's source), but still get no host classes.
        try (Context context = GuestSandbox.newContext(language, new UdfLimits(Long.MAX_VALUE, true))) {
            ScriptSession session = language == GuestLanguage.PYTHON
                    ? new ScriptSession(name, catalog, pythonSourceOf(context), pythonCallerLine(context))
                    : new ScriptSession(name, catalog, null, () -> 0);
            Value bindings = context.getBindings(language.id());
            bindings.putMember("DataSource", type(context, language, "DataSource", session::dataSource, ScriptSession.DATA_SOURCE_PARAMETERS));
            bindings.putMember("Flow", type(context, language, "Flow", session::flow, ScriptSession.FLOW_PARAMETERS));
            bindings.putMember("Pipeline", type(context, language, "Pipeline", session::flow, ScriptSession.FLOW_PARAMETERS));
            try {
                context.eval(source);
            } catch (PolyglotException e) {
                throw ScriptErrors.of(e, name, language);
            }
            return session.result();
        }
    }

    /** A DSL type; in Python wrapped so that it and the objects it makes take keyword arguments. */
    private static Object type(Context context, GuestLanguage language, String name, Function<Value[], Object> make,
                               List<String> params) {
        Constructor constructor = new Constructor(make);
        if (language != GuestLanguage.PYTHON) {
            return constructor;
        }
        return context.getBindings(language.id()).getMember("_tapflow_type")
                .execute(constructor, name, ProxyArray.fromList(new ArrayList<>(params)));
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
