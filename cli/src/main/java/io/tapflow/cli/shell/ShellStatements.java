package io.tapflow.cli.shell;

import io.tapflow.udf.script.PythonLines;

/**
 * Groups the lines typed or piped into the shell into statements, ending each where Python's console does: a line
 * that leaves no bracket, string or backslash open ends its statement (also one continued over several lines), and a
 * block opened with a colon ({@code def f(record):}) ends at an empty line.
 */
final class ShellStatements {
    private final StringBuilder block = new StringBuilder();
    private final PythonLines scan = new PythonLines();
    private boolean compound;

    /** Takes a line; returns the statement it ends, or null when the statement needs more lines. */
    String add(String line) {
        if (block.isEmpty()) {
            scan.reset();
            scan.feed(line);
            if (scan.complete() && !scan.opensBlock()) {
                return line;
            }
            compound = scan.opensBlock();
            block.append(line).append('\n');
            return null;
        }
        if (compound && line.isBlank() && scan.complete()) {
            return finish();
        }
        block.append(line).append('\n');
        scan.feed(line);
        if (!compound && scan.complete()) {
            if (!scan.opensBlock()) {
                return finish();
            }
            compound = true; // a header continued over lines, e.g. "if (a and" then "b):"
        }
        return null;
    }

    /** True while a statement waits for more lines (the shell then shows its continuation prompt). */
    boolean pending() {
        return !block.isEmpty();
    }

    /** At the end of the input: the unfinished statement, if any, as it stands (Python reports what it lacks). */
    String end() {
        return block.isEmpty() ? null : finish();
    }

    /** Drops the statement being typed (Ctrl-C at the prompt). */
    void reset() {
        block.setLength(0);
    }

    private String finish() {
        String statement = block.toString();
        block.setLength(0);
        return statement;
    }
}
