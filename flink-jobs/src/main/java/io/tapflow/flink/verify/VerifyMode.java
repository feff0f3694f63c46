package io.tapflow.flink.verify;

/** How thoroughly {@code tapflow verify} compares. */
public enum VerifyMode {
    /** Row counts only: the target's against what the pipeline's steps make of the source. */
    COUNT,
    /** Every field of every row, both sides streamed in key order and merged. */
    ROWS,
    /**
     * Checksums of key ranges computed in both databases, ranges that differ bisected down to rows compared as in
     * ROWS; tables checksums cannot cover (see {@link HashText}) are compared as in ROWS.
     */
    HASH
}
