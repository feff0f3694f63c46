package io.tapflow.udf;

import org.graalvm.polyglot.Value;

/**
 * Line numbers from a Python exception's traceback. GraalPy's polyglot stack frames carry no line for functions of
 * literal sources, but the traceback ({@code __traceback__.tb_lineno}) always has them.
 */
public final class PythonTracebacks {
    private PythonTracebacks() {}

    /** The line of the innermost traceback entry in {@code fileName} (a bare name or a path ending in it), or 0. */
    public static int innermostLine(Value exception, String fileName) {
        int line = 0;
        try {
            Value tb = exception == null ? null : exception.getMember("__traceback__");
            while (tb != null && !tb.isNull()) {
                Value code = tb.getMember("tb_frame").getMember("f_code");
                String codeFile = code.getMember("co_filename").asString();
                if (codeFile.equals(fileName) || codeFile.endsWith("/" + fileName)) {
                    line = tb.getMember("tb_lineno").asInt();
                }
                tb = tb.getMember("tb_next");
            }
        } catch (RuntimeException e) {
            // A traceback we cannot read only costs the line number, never the error itself.
            return line;
        }
        return line;
    }
}
