package io.tapflow.udf;

import io.tapflow.dsl.TapflowException;

/**
 * Guest code that did not compile, threw, returned something unusable or ran past its time limit. Names the step
 * and, where known, the line of the guest code; {@link #onRow(String)} adds the row the error happened on.
 */
public class GuestCodeException extends TapflowException {
    private static final long serialVersionUID = 1L;
    private final String stepId;
    private final int line;
    private final String where;
    private final String detail;

    /** @param where the line as the user knows it ("line 3", "orders.py:7"); null when not known */
    GuestCodeException(String stepId, int line, String where, String detail, Throwable cause) {
        super(format(stepId, where, null, detail), cause);
        this.stepId = stepId;
        this.line = line;
        this.where = where;
        this.detail = detail;
    }

    /** The line within the step's guest code, 1-based; 0 when not known. */
    public int line() {
        return line;
    }

    public String detail() {
        return detail;
    }

    /** The message with the row it failed on, e.g. {@code step 'py-f' (line 3) failed on row {id=5} of shop.orders: ...}. */
    public String onRow(String row) {
        return format(stepId, where, row, detail);
    }

    private static String format(String stepId, String where, String row, String detail) {
        return "step '" + stepId + "'" + (where != null ? " (" + where + ")" : "")
                + (row == null ? "" : " failed on row " + row) + ": " + detail;
    }
}
