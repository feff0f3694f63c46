package io.tapflow.cli.shell;

import io.tapflow.dsl.EnvReferences;
import io.tapflow.dsl.Secrets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the literal secrets of a line typed in the shell before it is kept in the history: a quoted value given to a
 * password-like name ({@code 'password': 'x'}, {@code password='x'}, {@code .password('x')}, {@code db_pass = 'x'})
 * and the password of a URI ({@code mongodb://user:x@host}). {@code ${env:NAME}} references are not secrets and stay.
 */
final class SecretLines {
    static final String MASK = "******";
    private static final Pattern NAMED = Pattern.compile(
            "(?i)(\\w*(?:pass|pwd|secret|token)\\w*['\"]?\\s*(?:[:=]|\\()\\s*)(['\"])((?:\\\\.|(?!\\2).)*)\\2");

    private SecretLines() {}

    static String mask(String line) {
        Matcher m = NAMED.matcher(line);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = EnvReferences.isReference(m.group(3)) ? m.group(3) : MASK;
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + m.group(2) + value + m.group(2)));
        }
        m.appendTail(out);
        return Secrets.maskUri(out.toString());
    }
}
