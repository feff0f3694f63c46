package io.tapflow.udf.script;

import io.tapflow.dsl.TapflowException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * An object of the script DSL as guest code sees it: named methods, each reachable by every spelling it has
 * ({@code read_from} and {@code readFrom}). Methods that return nothing return the object itself, for chaining.
 * Each method names its parameters; Python scripts reach it through a wrapper that turns keyword arguments into
 * positions by those names (see {@link #PARAMETERS}), since GraalPy passes no keyword arguments to host code.
 */
final class HostObject implements ProxyObject {
    /** The member that tells a method's parameter names: {@code obj._tapflow_params('rename_fields')}. */
    static final String PARAMETERS = "_tapflow_params";
    /** The member that tells what the object is, for errors: {@code Flow} or {@code DataSource}. */
    static final String KIND = "_tapflow_kind";
    private final Map<String, ProxyExecutable> methods = new LinkedHashMap<>();
    private final Map<String, List<String>> parameters = new HashMap<>();
    private final List<String> primaryNames = new ArrayList<>();
    private final String kind;
    private final IntSupplier callerLine;

    /**
     * @param kind what the object is, as errors name it: {@code Flow}, {@code DataSource}
     * @param callerLine the script line of the current call, or 0 where the guest stack tells it
     */
    HostObject(String kind, IntSupplier callerLine) {
        this.kind = kind;
        this.callerLine = callerLine;
    }

    /**
     * Methods of TapFlow's API that tapflow does not have yet, each with what to use instead: calling one fails at the
     * script's line with {@code Flow.merge is not supported yet: <instead>}, whatever its arguments, rather than with
     * a missing attribute.
     */
    HostObject unsupported(Map<String, String> insteadByName) {
        insteadByName.forEach((name, instead) -> {
            if (!methods.containsKey(name)) {
                methods.put(name, args -> {
                    throw new ScriptCallException(callerLine.getAsInt(),
                            new TapflowException(kind + "." + name + " is not supported yet: " + instead));
                });
            }
        });
        return this;
    }

    /**
     * Adds a method under one or more names; the first is its Python spelling.
     *
     * @param params the names of its parameters in order, for keyword arguments; empty for a method that takes a
     *               variable number of arguments (such as {@code include}), which then takes no keywords; a first name
     *               {@code *name} takes a variable number, and the names after it are keyword-only, passed as a last
     *               dict (as {@code read_from}'s {@code query} and {@code filter})
     */
    HostObject method(List<String> params, Function<Value[], Object> body, String... names) {
        ProxyExecutable executable = args -> {
            Object result;
            try {
                result = body.apply(args);
            } catch (TapflowException e) {
                throw new ScriptCallException(callerLine.getAsInt(), e);
            }
            return result == null ? this : result;
        };
        for (String name : names) {
            methods.put(name, executable);
            parameters.put(name, List.copyOf(params));
        }
        primaryNames.add(names[0]);
        return this;
    }

    /** Each method once, by its first name, in the order they were added. */
    List<String> primaryNames() {
        return List.copyOf(primaryNames);
    }

    @Override
    public Object getMember(String key) {
        if (KIND.equals(key)) {
            return kind;
        }
        if (PARAMETERS.equals(key)) {
            // null for a method without parameter names (an unsupported one): it is called without binding keywords
            return (ProxyExecutable) args -> {
                List<String> names = parameters.get(args[0].asString());
                return names == null ? null : ProxyArray.fromList(new ArrayList<>(names));
            };
        }
        return methods.get(key);
    }

    @Override
    public Object getMemberKeys() {
        return ProxyArray.fromArray(methods.keySet().toArray());
    }

    @Override
    public boolean hasMember(String key) {
        return PARAMETERS.equals(key) || KIND.equals(key) || methods.containsKey(key);
    }

    /**
     * What GraalJS names in an error about this object: {@code Flow[read_from, readFrom, ...]}, from which the script's
     * error says what a misspelled method was meant to be (a JS call of an unknown method never reaches this object).
     */
    @Override
    public String toString() {
        return kind + methods.keySet();
    }

    @Override
    public void putMember(String key, Value value) {
        throw new UnsupportedOperationException("tapflow objects cannot be changed; '" + key + "' is read-only");
    }
}
