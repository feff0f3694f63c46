package io.tapflow.flink.verify;

/** The rows whose (single, integer) key is in {@code [from, to)}: a range of a checksum comparison. */
record KeyRange(long from, long to) {
    long width() {
        return to - from;
    }
}
