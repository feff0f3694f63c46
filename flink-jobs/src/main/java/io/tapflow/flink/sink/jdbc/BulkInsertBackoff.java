package io.tapflow.flink.sink.jdbc;

/**
 * When to try a bulk insert: always, until one meets a row already in the target; then skip 1, 2, 4 ... up to 64
 * batches before trying again, and back to always after a success. A replay after a restore costs a few wasted
 * attempts; a target that already holds the rows costs one attempt per 64 batches.
 */
final class BulkInsertBackoff {
    private static final int MAX_SKIP = 64;
    private int skip;
    private int toSkip;

    boolean shouldTry() {
        if (toSkip > 0) {
            toSkip--;
            return false;
        }
        return true;
    }

    void succeeded() {
        skip = 0;
    }

    void conflicted() {
        skip = skip == 0 ? 1 : Math.min(skip * 2, MAX_SKIP);
        toSkip = skip;
    }
}
