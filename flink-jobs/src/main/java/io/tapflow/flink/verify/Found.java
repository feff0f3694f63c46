package io.tapflow.flink.verify;

import java.util.List;

/**
 * A difference as the comparison keeps it for re-checking and repair: the row the pipeline should have written
 * (null when extra) and the target's row (null when missing).
 */
record Found(Difference.Kind kind, KeyedRow expected, KeyedRow actual, List<Difference.FieldDifference> fields) {

    /** The row's key values, from whichever side has it. */
    KeyedRow anySide() {
        return expected != null ? expected : actual;
    }

    Difference toDifference() {
        return new Difference(kind, anySide().keyValues(), fields);
    }
}
