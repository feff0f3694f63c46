package io.tapflow.flink.lookup;

/** A lookup function keyed by row that can forget what it holds of one row, when the row's table is truncated. */
interface ForgetsRows {
    /** The names of the keyed states that hold something of a row. */
    String[] rowStates();

    /** Forgets what the current key (a row of the truncated table) holds. */
    void forgetRow();
}
