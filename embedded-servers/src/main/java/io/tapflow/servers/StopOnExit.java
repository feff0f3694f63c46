package io.tapflow.servers;

/** Stops a server when the JVM exits, so that a test that forgets close() leaves no database process running. */
final class StopOnExit {

    private final Thread hook;

    StopOnExit(String serverName, Runnable stop) {
        hook = new Thread(stop, "stop " + serverName);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Forgets the hook once the server was closed, so closed servers are not kept in memory until the JVM exits. */
    void cancel() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // close() runs inside this very hook, or while the JVM exits: the hook no longer matters.
        }
    }
}
