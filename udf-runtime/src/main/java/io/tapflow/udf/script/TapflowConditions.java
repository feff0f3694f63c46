package io.tapflow.udf.script;

import io.tapflow.dsl.TapflowException;
import io.tapflow.udf.script.ConditionTokens.Kind;
import io.tapflow.udf.script.ConditionTokens.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * TapFlow's filter condition language ({@code filter("id > 2 and sex = 'male'")}), translated into the JavaScript
 * expression over {@code record} that tapflow's filter step evaluates.
 *
 * <p>The rule for which is which: a condition that uses the name {@code record} (outside quotes) is JavaScript, as
 * tapflow's own expressions are ({@code record.amount > 10}); any other is TapFlow's language: {@code and}, {@code or},
 * {@code not} (also {@code &&}, {@code ||}, {@code !}), parentheses, comparisons with {@code =} or {@code ==},
 * {@code !=} or {@code <>}, {@code <}, {@code <=}, {@code >}, {@code >=}, {@code IS [NOT] NULL},
 * {@code [NOT] IN (v, ...)}, numbers, {@code true}, {@code false}, {@code null} and texts in single or double quotes.
 * As in TapFlow's parser (which puts {@code record.} before every bare word), a bare word is a field name, on either
 * side of a comparison: {@code sex = male} compares two fields. A field a snapshot row or insert does not have is an
 * error of that row naming it, so that a forgotten pair of quotes does not filter out every row in silence.
 */
final class TapflowConditions {
    private static final Pattern JAVASCRIPT = Pattern.compile("\\brecord\\b");

    private final ConditionTokens tokens;
    private final String what;

    private TapflowConditions(ConditionTokens tokens, String what) {
        this.what = what;
        this.tokens = tokens;
    }

    /** The condition as the JavaScript expression the filter step runs: unchanged when it is JavaScript already. */
    static String javaScript(String condition, String call) {
        if (condition == null || condition.isBlank() || JAVASCRIPT.matcher(withoutQuotedTexts(condition)).find()) {
            return condition;
        }
        String what = call + " \"" + condition + "\" is neither JavaScript over record (record.id > 2) nor a TapFlow condition"
                + " (id > 2 and sex = 'male')";
        return javaScript(new ConditionTokens(condition, what), what);
    }

    /** Translates a condition read from these tokens up to their end (or a closing semicolon). */
    static String javaScript(ConditionTokens tokens, String what) {
        TapflowConditions parser = new TapflowConditions(tokens, what);
        String body = parser.or();
        Token end = tokens.peek();
        if (end.kind() != Kind.END && !end.is(";")) {
            throw parser.error(end, "and, or, or the end of the condition");
        }
        // Every field goes through f, which refuses one a whole row (snapshot row or insert) lacks: a bare word meant
        // as a text fails loudly. The old row of an update or delete may hold the key only (PostgreSQL's default
        // replica identity): there a missing field is undefined, as in a JavaScript filter.
        return "((f) => " + body + ")((n) => { if (!(n in record)) { if (op !== 'read' && op !== 'insert') { return undefined; }"
                + " throw new Error(\"the filter condition names field '\" + n + \"', which the row does not have (its fields: \""
                + " + Object.keys(record).join(', ') + \"); write a text in quotes: '\" + n + \"'\"); } return record[n]; })";
    }

    private String or() {
        String left = and();
        while (tokens.accept("or") || tokens.accept("||")) {
            left = left + " || " + and();
        }
        return left;
    }

    private String and() {
        String left = not();
        while (tokens.accept("and") || tokens.accept("&&")) {
            left = left + " && " + not();
        }
        return left;
    }

    private String not() {
        if (tokens.accept("not") || tokens.accept("!")) {
            return "!(" + not() + ")";
        }
        if (tokens.accept("(")) {
            String inner = or();
            expect(")");
            return "(" + inner + ")";
        }
        return comparison();
    }

    private String comparison() {
        String left = operand();
        Token t = tokens.peek();
        for (String[] op : new String[][] {{"==", "=="}, {"=", "=="}, {"!=", "!="}, {"<>", "!="}, {"<=", "<="}, {">=", ">="},
                {"<", "<"}, {">", ">"}}) {
            if (tokens.accept(op[0])) {
                return "(" + left + " " + op[1] + " " + operand() + ")";
            }
        }
        if (tokens.accept("is")) {
            boolean negated = tokens.accept("not");
            expect("null");
            return "(" + left + (negated ? " != null)" : " == null)");
        }
        boolean negated = t.is("not") && tokens.accept("not");
        if (tokens.accept("in")) {
            expect("(");
            List<String> values = new ArrayList<>(List.of(operand()));
            while (tokens.accept(",")) {
                values.add(operand());
            }
            expect(")");
            return (negated ? "!" : "") + "[" + String.join(", ", values) + "].some((v) => v == " + left + ")";
        }
        if (negated) {
            throw error(tokens.peek(), "in after not");
        }
        return "!!(" + left + ")";
    }

    private String operand() {
        Token t = tokens.take();
        if (t.is("-") && tokens.peek().kind() == Kind.NUMBER) {
            return "-" + tokens.take().text();
        }
        return switch (t.kind()) {
            case NUMBER -> t.text();
            case TEXT -> quote(t.text());
            case NAME -> t.is("null") || t.is("true") || t.is("false") ? t.text().toLowerCase() : "f(" + quote(t.text()) + ")";
            default -> throw error(t, "a value: a field name, a number, a text in quotes, true, false or null");
        };
    }

    private void expect(String symbolOrKeyword) {
        if (!tokens.accept(symbolOrKeyword)) {
            throw error(tokens.peek(), "'" + symbolOrKeyword + "'");
        }
    }

    private TapflowException error(Token found, String expected) {
        return new TapflowException(what + ": at position " + (found.position() + 1) + " expected " + expected + ", found "
                + found.shown());
    }

    /** A JavaScript string literal. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** The condition with its quoted texts blanked, so that a text holding the word record is not taken for code. */
    private static String withoutQuotedTexts(String condition) {
        return condition.replaceAll("'(?:\\\\.|[^'\\\\])*'|\"(?:\\\\.|[^\"\\\\])*\"", "''");
    }
}
