package io.tapflow.udf.script;

import io.tapflow.dsl.TapflowException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Value;

/** Arguments of script DSL calls as plain Java values, with errors that say which call wanted what. */
final class ScriptArgs {
    private ScriptArgs() {}

    static String string(Value[] args, int i, String call) {
        if (args.length <= i || args[i].isNull()) {
            throw new TapflowException(call + " needs argument " + (i + 1));
        }
        Value v = args[i];
        if (v.isString()) {
            return v.asString();
        }
        if (v.isNumber() || v.isBoolean()) {
            return v.toString();
        }
        throw new TapflowException(call + ": argument " + (i + 1) + " must be a string, got " + describe(v));
    }

    /**
     * A condition or code: only a text. A number or a boolean would otherwise become the JavaScript {@code 42} or
     * {@code true}, a filter keeping every row.
     */
    static String text(Value[] args, int i, String call) {
        if (args.length > i && !args[i].isNull() && !args[i].isString()) {
            throw new TapflowException(call + ": argument " + (i + 1) + " must be a text in quotes, got " + describe(args[i]));
        }
        return string(args, i, call);
    }

    /** A whole number from {@code min} to {@code max}, written as a number or as its text ({@code '4'}). */
    static long whole(Value[] args, int i, long min, long max, String call) {
        String text = string(args, i, call);
        try {
            long n = Long.parseLong(text.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the allowed range
        }
        throw new TapflowException(call + ": argument " + (i + 1) + " must be a whole number from " + min + " to " + max
                + ", got " + describe(args[i]));
    }

    /** {@code True}/{@code False} (or {@code 'true'}/{@code 'false'}); false when not given. */
    static boolean optionalBoolean(Value[] args, int i, String call) {
        if (args.length <= i || args[i].isNull()) {
            return false;
        }
        Value v = args[i];
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isString() && (v.asString().equalsIgnoreCase("true") || v.asString().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(v.asString());
        }
        throw new TapflowException(call + ": argument " + (i + 1) + " must be True or False, got " + describe(v));
    }

    static String optionalString(Value[] args, int i, String call) {
        return args.length <= i || args[i].isNull() ? null : string(args, i, call);
    }

    /** All arguments from {@code from} on as strings; a single list argument counts as its elements. */
    static List<String> strings(Value[] args, int from, String call) {
        List<String> out = new ArrayList<>();
        if (args.length == from + 1 && args[from].hasArrayElements()) {
            for (long i = 0; i < args[from].getArraySize(); i++) {
                out.add(string(new Value[] {args[from].getArrayElement(i)}, 0, call));
            }
            return out;
        }
        for (int i = from; i < args.length; i++) {
            out.add(string(args, i, call));
        }
        return out;
    }

    /** A list of lists of {@code width} strings each, such as {@code [['region', 'string', "'EU'"]]}. */
    static List<List<String>> rows(Value[] args, int i, int width, String call) {
        if (args.length <= i || !args[i].hasArrayElements()) {
            throw new TapflowException(call + ": argument " + (i + 1) + " must be a list of lists, got "
                    + (args.length <= i ? "nothing" : args[i]));
        }
        List<List<String>> out = new ArrayList<>();
        for (long r = 0; r < args[i].getArraySize(); r++) {
            Value row = args[i].getArrayElement(r);
            if (!row.hasArrayElements() || row.getArraySize() != width) {
                throw new TapflowException(call + ": entry " + (r + 1) + " must be a list of " + width + " values, got " + describe(row));
            }
            List<String> values = new ArrayList<>();
            for (long c = 0; c < width; c++) {
                values.add(string(new Value[] {row.getArrayElement(c)}, 0, call));
            }
            out.add(values);
        }
        return out;
    }

    /** A dict (Python) or object (JavaScript) of strings; numbers and booleans among its values count as their text. */
    static Map<String, String> map(Value[] args, int i, String call) {
        return map(args, i, call, false);
    }

    /** A dict or object whose values must all be texts (keyword arguments holding conditions or queries). */
    static Map<String, String> textMap(Value[] args, int i, String call) {
        return map(args, i, call, true);
    }

    private static Map<String, String> map(Value[] args, int i, String call, boolean textsOnly) {
        Map<String, String> out = new LinkedHashMap<>();
        if (args.length <= i || args[i].isNull()) {
            return out;
        }
        Value v = args[i];
        if (v.hasHashEntries()) {
            Value it = v.getHashEntriesIterator();
            while (it.hasIteratorNextElement()) {
                Value entry = it.getIteratorNextElement();
                String key = text(entry.getArrayElement(0));
                out.put(key, value(entry.getArrayElement(1), key, textsOnly, call));
            }
        } else if (v.hasMembers()) {
            for (String key : v.getMemberKeys()) {
                out.put(key, value(v.getMember(key), key, textsOnly, call));
            }
        } else {
            throw new TapflowException(call + ": argument " + (i + 1) + " must be a dict/object of names to values, got " + describe(v));
        }
        return out;
    }

    private static String value(Value v, String key, boolean textsOnly, String call) {
        if (textsOnly && !v.isNull() && !v.isString()) {
            throw new TapflowException(call + ": " + key + " must be a text in quotes, got " + describe(v));
        }
        return text(v);
    }

    /** A guest value as the user wrote it, for an error: a text in quotes (its host form would name an engine class). */
    static String describe(Value v) {
        return v.isString() ? "the text '" + v.asString() + "'" : v.toString();
    }

    private static String text(Value v) {
        return v.isString() ? v.asString() : v.toString();
    }
}
