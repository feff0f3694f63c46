package io.tapflow.dsl;

/**
 * The sandbox of JavaScript and Python code in a pipeline (UDFs and expressions): how long one row may take, and
 * whether guest code may use files and the network. Guest code never gets access to host classes.
 */
public record UdfLimits(long timeLimitMs, boolean allowIo) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public static final UdfLimits DEFAULTS = new UdfLimits(5_000, false);
}
