package io.tapflow.udf.script;

import java.util.regex.Pattern;

/**
 * Reads Python source a line at a time as its tokenizer does, far enough to tell where a statement ends: open
 * brackets, strings (also triple-quoted ones over several lines), comments and backslash continuations.
 */
public final class PythonLines {
    /** A line that goes on with a method call on the statement before, as TapFlow's examples write a chain. */
    private static final Pattern METHOD_CONTINUATION = Pattern.compile("^\\s*\\.[A-Za-z_].*", Pattern.DOTALL);

    private int depth;
    private String openString;
    private boolean continued;
    private String code = "";

    /** Starts afresh, as before the first line. */
    public void reset() {
        depth = 0;
        openString = null;
        continued = false;
        code = "";
    }

    /** Takes one more line (without its line break). */
    public void feed(String line) {
        continued = false;
        int comment = -1;
        int i = 0;
        while (i < line.length()) {
            if (openString != null) {
                int end = closing(line, i, openString);
                if (end < 0) {
                    break;
                }
                openString = null;
                i = end;
                continue;
            }
            char c = line.charAt(i);
            if (c == '#') {
                comment = i;
                break;
            }
            if (c == '\'' || c == '"') {
                String triple = String.valueOf(c).repeat(3);
                openString = line.startsWith(triple, i) ? triple : String.valueOf(c);
                i += openString.length();
                continue;
            }
            if ("([{".indexOf(c) >= 0) {
                depth++;
            } else if (")]}".indexOf(c) >= 0 && depth > 0) {
                depth--;
            }
            i++;
        }
        boolean backslash = comment < 0 && line.endsWith("\\");
        if (openString != null && openString.length() == 1 && !backslash) {
            openString = null; // an unterminated string: the statement ends here, and Python reports it
        }
        continued = openString == null && backslash;
        code = (comment < 0 ? line : line.substring(0, comment)).stripTrailing();
    }

    /** True when the lines so far end a statement: no open bracket or string, no backslash at the end. */
    public boolean complete() {
        return depth == 0 && openString == null && !continued;
    }

    /** True when the last line, complete, is a block header such as {@code def f(record):}: a body follows. */
    public boolean opensBlock() {
        return complete() && code.endsWith(":");
    }

    /** The last line without its comment, as code to which a backslash can be added. */
    String code() {
        return code;
    }

    /** A line starting with {@code .name}: TapFlow's way of going on with the statement before. */
    public static boolean continuesWithMethod(String line) {
        return METHOD_CONTINUATION.matcher(line).matches();
    }

    /**
     * TapFlow's examples write a chain with each {@code .method(...)} on a line of its own, without backslashes, which
     * Python rejects (an unexpected indent). As TapFlow's shell does, such a line continues the statement on the line
     * right before it: that line gets a backslash (its comment, which a backslash cannot follow, is dropped). Lines
     * are never added or removed, so every error keeps its line number.
     */
    public static String joinMethodLines(String source) {
        String[] lines = source.split("\n", -1);
        PythonLines scan = new PythonLines();
        boolean previousEndsStatement = false;
        for (int i = 0; i < lines.length; i++) {
            if (previousEndsStatement && continuesWithMethod(lines[i])) {
                lines[i - 1] = scan.code() + " \\";
            }
            scan.feed(lines[i]);
            previousEndsStatement = scan.complete() && !scan.code().isBlank() && !scan.opensBlock()
                    && !scan.code().stripLeading().startsWith("@");
        }
        return String.join("\n", lines);
    }

    /**
     * The line (from 1) of the first unexpected indent, the way Python's tokenizer finds one: a statement indented
     * deeper than the one before it that opens no block; 0 if there is none. GraalPy reports this error at line 1.
     */
    public static int unexpectedIndent(String source) {
        String[] lines = source.split("\n", -1);
        PythonLines scan = new PythonLines();
        java.util.ArrayDeque<Integer> levels = new java.util.ArrayDeque<>(java.util.List.of(0));
        boolean blockOpened = false;
        for (int i = 0; i < lines.length; i++) {
            boolean statementStart = scan.complete();
            scan.feed(lines[i]);
            if (!statementStart || scan.code().isBlank()) {
                continue;
            }
            int indent = lines[i].length() - lines[i].stripLeading().length();
            if (indent > levels.peek()) {
                if (!blockOpened) {
                    return i + 1;
                }
                levels.push(indent);
            } else {
                while (indent < levels.peek()) {
                    levels.pop();
                }
            }
            blockOpened = scan.opensBlock();
        }
        return 0;
    }

    private static int closing(String line, int from, String quote) {
        for (int j = from; j < line.length(); j++) {
            if (line.charAt(j) == '\\') {
                j++;
            } else if (line.startsWith(quote, j)) {
                return j + quote.length();
            }
        }
        return -1;
    }
}
