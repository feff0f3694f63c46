package io.tapflow.flink.verify;

/**
 * What {@code tapflow verify} does.
 *
 * @param examples      differences shown per table (the counts cover all of them)
 * @param recheckLimit  differences per table kept to re-check and repair (bounds memory; more are counted, not re-checked)
 * @param lagWait       waits until the pipeline's in-flight changes have reached the target (its next completed
 *                      checkpoint), before differences are checked again; does nothing when the pipeline is not running
 * @param repair        write the source's current version of each lasting difference through the pipeline's sink
 * @param dryRun        with repair: only report what repair would write and delete
 */
public record VerifyOptions(VerifyMode mode, int examples, int recheckLimit, Runnable lagWait, boolean repair, boolean dryRun) {
    public static final int DEFAULT_EXAMPLES = 10;
    public static final int DEFAULT_RECHECK_LIMIT = 10_000;

    public VerifyOptions {
        if (examples < 0 || recheckLimit < 0) {
            throw new IllegalArgumentException("examples and recheck limit must not be negative");
        }
    }

    /** Every field of every row, 10 examples, no waiting, no repair. */
    public static VerifyOptions rows() {
        return new VerifyOptions(VerifyMode.ROWS, DEFAULT_EXAMPLES, DEFAULT_RECHECK_LIMIT, () -> { }, false, false);
    }

    public VerifyOptions withMode(VerifyMode m) {
        return new VerifyOptions(m, examples, recheckLimit, lagWait, repair, dryRun);
    }

    public VerifyOptions withLagWait(Runnable wait) {
        return new VerifyOptions(mode, examples, recheckLimit, wait, repair, dryRun);
    }

    public VerifyOptions withRepair(boolean dry) {
        return new VerifyOptions(mode, examples, recheckLimit, lagWait, true, dry);
    }

    public VerifyOptions withExamples(int n) {
        return new VerifyOptions(mode, n, recheckLimit, lagWait, repair, dryRun);
    }
}
