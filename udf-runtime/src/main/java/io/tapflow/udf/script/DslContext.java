package io.tapflow.udf.script;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.dsl.UdfLimits;
import io.tapflow.udf.GuestLanguage;
import io.tapflow.udf.GuestSandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyInstantiable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * A guest context with the DSL bound ({@code DataSource}, {@code Flow}, {@code Pipeline}, {@code Api}, and TapFlow's
 * {@code Source}, {@code Sink}, {@code FilterType} and {@code RowFilterType}) and the session that
 * records what the code evaluated in it saved and started.
 */
final class DslContext implements AutoCloseable {
    private static final String PYTHON_HELPERS = "import inspect as _i, textwrap as _t, sys as _s\n"
            + "def _tapflow_source_of(f):\n    lines, start = _i.getsourcelines(f)\n"
            + "    return [_t.dedent(''.join(lines)), f.__name__, str(start)]\n"
            // The script's frame that called the DSL: GraalPy's polyglot stack has no lines for it, and the keyword
            // wrappers below stand between, so skip the frames of this helper code.
            + "def _tapflow_line():\n    f = _s._getframe(1)\n"
            + "    while f.f_back is not None and f.f_code.co_filename == _tapflow_line.__code__.co_filename:\n"
            + "        f = f.f_back\n"
            // f_lineno is where the statement starts; the call's own position ends on the line of its method, which
            // is the line to name when a chain runs over several lines.
            + "    try:\n"
            + "        end = list(f.f_code.co_positions())[f.f_lasti // 2][1]\n"
            + "        if end:\n            return end\n"
            + "    except Exception:\n        pass\n"
            + "    return f.f_lineno\n"
            // GraalPy passes no keyword arguments to host code: these wrappers put them in place by parameter name.
            + "def _tapflow_bind(call, params, args, kwargs):\n"
            + "    if not kwargs:\n        return args\n"
            // A first parameter '*name' takes any number of arguments; the ones after it are keywords only, passed
            // on as a last dict.
            + "    if params and params[0].startswith('*'):\n"
            + "        for key in kwargs:\n"
            + "            if key not in params[1:]:\n"
            + "                raise TypeError(call + '() has no argument ' + repr(key)\n"
            + "                                + '; its keyword arguments are: ' + ', '.join(params[1:]))\n"
            + "        return list(args) + [dict(kwargs)]\n"
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
            + "        host = self._host\n"
            + "        if not hasattr(host, name):\n"
            + "            import difflib\n"
            + "            close = difflib.get_close_matches(name, [str(m) for m in dir(host) if not str(m).startswith('_')], 1)\n"
            + "            error = AttributeError(host." + HostObject.KIND + " + ' has no method ' + repr(name)"
            + " + ('; did you mean ' + repr(close[0]) + '?' if close else ''))\n"
            // The traceback's line is where the statement starts; in a chain over several lines, the method's own
            // line is the one to name.
            + "            error." + PipelineScripts.ERROR_LINE + " = _tapflow_line()\n"
            + "            raise error\n"
            + "        method = getattr(host, name)\n"
            + "        def call(*args, **kwargs):\n"
            + "            params = host." + HostObject.PARAMETERS + "(name)\n"
            + "            if params is None:\n"
            + "                return method()\n"
            + "            return _tapflow_wrap(method(*_tapflow_bind(name, list(params), args, kwargs)))\n"
            + "        return call\n"
            + "def _tapflow_type(make, name, params):\n"
            + "    def new(*args, **kwargs):\n"
            + "        return _TapflowObject(make(*_tapflow_bind(name, list(params), args, kwargs)))\n"
            + "    return new\n"
            // TapFlow's constants for filter(..., filterType=FilterType.delete) and rowFilter(..., rowFilterType=...).
            + "class FilterType:\n    keep = 'keep'\n    delete = 'delete'\n"
            + "FilterMode = FilterType\n"
            + "class RowFilterType:\n    retain = 'retain'\n    discard = 'discard'\n"
            // TapFlow's scripts start with 'from tapflow.lib import *' and 'from tapflow.cli.cli import init': modules
            // of those names provide the DSL here; init() has no cluster to log in to, the catalog is local.
            + "def _tapflow_modules(data_source, flow, pipeline, api, source, sink):\n"
            + "    import types\n"
            + "    dsl = {'DataSource': data_source, 'Flow': flow, 'Pipeline': pipeline, 'Api': api, 'Source': source,\n"
            + "           'Sink': sink, 'FilterType': FilterType, 'FilterMode': FilterType, 'RowFilterType': RowFilterType}\n"
            + "    def init(config_path=None):\n        pass\n"
            + "    for name, members in [('tapflow', {}), ('tapflow.lib', dsl), ('tapflow.lib.data_pipeline', {}),\n"
            + "            ('tapflow.lib.data_pipeline.pipeline', {'Flow': flow, 'Pipeline': pipeline, 'Source': source, 'Sink': sink}),\n"
            + "            ('tapflow.lib.data_pipeline.data_source', {'DataSource': data_source}),\n"
            + "            ('tapflow.cli', {}), ('tapflow.cli.cli', dict(dsl, init=init))]:\n"
            + "        module = types.ModuleType(name)\n"
            + "        module.__dict__.update(members)\n"
            + "        _s.modules[name] = module\n"
            + "        if '.' in name:\n"
            + "            parent, _, child = name.rpartition('.')\n"
            + "            setattr(_s.modules[parent], child, module)\n"
            // TapFlow's shell makes every datasource a variable whose attributes are its tables, and its API
            // reference writes read_from(mySqlSource.ecom_orders): here too, unless the script uses the name itself.
            + "class _TapflowTables:\n"
            + "    __slots__ = ('_name',)\n"
            + "    def __init__(self, name):\n        self._name = name\n"
            + "    def __getattr__(self, table):\n"
            + "        if table.startswith('__'):\n            raise AttributeError(table)\n"
            + "        return self._name + '.' + table\n"
            + "    def __repr__(self):\n        return self._name\n"
            + "    __str__ = __repr__\n"
            + "def _tapflow_name_datasources(names):\n"
            + "    import builtins, keyword\n"
            + "    g = _s.modules['__main__'].__dict__\n"
            + "    for name in names:\n"
            + "        if name.isidentifier() and not keyword.iskeyword(name) and name not in builtins.__dict__ \\\n"
            + "                and isinstance(g.get(name, _TapflowTables(name)), _TapflowTables):\n"
            + "            g[name] = _TapflowTables(name)\n";

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
            bindings.putMember("DataSource", type("DataSource", session::dataSource, ScriptSession.DATA_SOURCE_PARAMETERS));
            bindings.putMember("Flow", type("Flow", session::flow, ScriptSession.FLOW_PARAMETERS));
            bindings.putMember("Pipeline", type("Pipeline", session::flow, ScriptSession.FLOW_PARAMETERS));
            bindings.putMember("Api", type("Api", session::api, ScriptSession.API_PARAMETERS));
            bindings.putMember("Source", type("Source", session::source, ScriptTables.SOURCE_PARAMETERS));
            bindings.putMember("Sink", type("Sink", session::sink, ScriptTables.SINK_PARAMETERS));
            if (language == GuestLanguage.PYTHON) {
                bindings.getMember("_tapflow_modules").execute(bindings.getMember("DataSource"), bindings.getMember("Flow"),
                        bindings.getMember("Pipeline"), bindings.getMember("Api"), bindings.getMember("Source"),
                        bindings.getMember("Sink"));
            } else {
                bindings.putMember("FilterType", ProxyObject.fromMap(Map.of("keep", "keep", "delete", "delete")));
                bindings.putMember("RowFilterType", ProxyObject.fromMap(Map.of("retain", "retain", "discard", "discard")));
            }
            if (language == GuestLanguage.PYTHON) {
                nameDataSources(catalog.keySet());
                session.whenDataSourceSaved(name -> nameDataSources(List.of(name)));
            }
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    ScriptSession session() {
        return session;
    }

    /**
     * Python: makes each datasource name a variable whose attributes name its tables ({@code shop.orders} is
     * {@code "shop.orders"}), as in TapFlow; a name the code has given another value keeps it.
     */
    void nameDataSources(Collection<String> names) {
        if (language == GuestLanguage.PYTHON) {
            context.getBindings(language.id()).getMember("_tapflow_name_datasources")
                    .execute(ProxyArray.fromList(new ArrayList<>(names)));
        }
    }

    /** Evaluates code; an error becomes {@code name:line: message}. */
    void eval(Source source) {
        try {
            context.eval(source);
        } catch (PolyglotException e) {
            throw PipelineScripts.ScriptErrors.of(e, source, language);
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

    /** A DSL type; in Python wrapped so that it and the objects it makes take keyword arguments. */
    private Object type(String name, Function<Value[], Object> make, List<String> params) {
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
}
