package io.tapflow.dsl;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ${env:NAME}} references in option values, resolved only where a connection is made. */
public final class EnvReferences {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private EnvReferences() {}

    public static boolean isReference(String value) {
        return value != null && REFERENCE.matcher(value).matches();
    }

    static String resolve(String value, Map<String, String> env, String where) {
        if (value == null || !value.contains("${env:")) {
            return value;
        }
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = env.get(m.group(1));
            if (replacement == null) {
                throw new TapflowException(where + " refers to environment variable " + m.group(1) + ", which is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
