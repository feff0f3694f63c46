package io.tapflow.udf.script;

import io.tapflow.dsl.TapflowException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The words of a TapFlow condition or a simple SQL query: names, numbers, quoted texts and operators, each with its
 * position (from 0) for error messages.
 */
final class ConditionTokens {
    enum Kind { NAME, NUMBER, TEXT, SYMBOL, END }

    /**
     * One word; {@code text} is a name or text without its quotes, a number or symbol as written. A name in
     * backquotes ({@code `order`}) is {@code quoted}: a field name, never a keyword.
     */
    record Token(Kind kind, String text, int position, boolean quoted) {
        boolean is(String symbolOrKeyword) {
            return (kind == Kind.SYMBOL && text.equals(symbolOrKeyword))
                    || (kind == Kind.NAME && !quoted && text.toLowerCase(Locale.ROOT).equals(symbolOrKeyword));
        }

        String shown() {
            return kind == Kind.END ? "the end" : "'" + text + "'";
        }
    }

    private static final List<String> SYMBOLS = List.of("==", "!=", "<>", "<=", ">=", "&&", "||", "=", "<", ">", "!", "(", ")",
            ",", "-", "*", ";", ".");

    private final List<Token> tokens;
    private int next;

    ConditionTokens(String text, String what) {
        this.tokens = tokenize(text, what);
    }

    Token peek() {
        return tokens.get(next);
    }

    Token take() {
        Token t = tokens.get(next);
        if (t.kind() != Kind.END) {
            next++;
        }
        return t;
    }

    /** Takes the next token if it is this symbol or keyword. */
    boolean accept(String symbolOrKeyword) {
        if (peek().is(symbolOrKeyword)) {
            next++;
            return true;
        }
        return false;
    }

    private static List<Token> tokenize(String s, String what) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'' || c == '"' || c == '`') {
                StringBuilder text = new StringBuilder();
                int j = i + 1;
                while (true) {
                    if (j >= s.length()) {
                        throw new TapflowException(what + ": at position " + (i + 1) + ": the quote " + c + " is not closed");
                    }
                    char d = s.charAt(j);
                    if (d == '\\' && j + 1 < s.length() && c != '`') {
                        text.append(s.charAt(j + 1));
                        j += 2;
                    } else if (d == c && j + 1 < s.length() && s.charAt(j + 1) == c) {
                        text.append(c); // SQL's doubled quote
                        j += 2;
                    } else if (d == c) {
                        break;
                    } else {
                        text.append(d);
                        j++;
                    }
                }
                // A backquoted name is a field name, whatever its characters.
                out.add(new Token(c == '`' ? Kind.NAME : Kind.TEXT, text.toString(), i, c == '`'));
                i = j + 1;
            } else if (Character.isDigit(c)) {
                int j = i;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '.')) {
                    j++;
                }
                String number = s.substring(i, j);
                if (!number.matches("\\d+(\\.\\d+)?([eE][+-]?\\d+)?")) {
                    throw new TapflowException(what + ": at position " + (i + 1) + ": '" + number + "' is not a number");
                }
                out.add(new Token(Kind.NUMBER, number, i, false));
                i = j;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                out.add(new Token(Kind.NAME, s.substring(i, j), i, false));
                i = j;
            } else {
                int at = i;
                String symbol = SYMBOLS.stream().filter(x -> s.startsWith(x, at)).findFirst().orElseThrow(() ->
                        new TapflowException(what + ": at position " + (at + 1) + ": unexpected character '" + s.charAt(at) + "'"));
                out.add(new Token(Kind.SYMBOL, symbol, i, false));
                i += symbol.length();
            }
        }
        out.add(new Token(Kind.END, "", s.length(), false));
        return out;
    }
}
