package io.tapflow.servers;

import java.nio.file.Path;

/**
 * A server either external (named by an environment variable) or started by this JVM as a child JVM with a directory
 * holding its files; the started one is stopped, and its files deleted, on {@link #close()} or when this JVM exits,
 * whichever comes first.
 */
abstract class ChildJvmServer implements AutoCloseable {

    private final ChildJvm jvm;
    private final Path directory;
    private final StopOnExit stopOnExit;
    private boolean closed;

    /** {@code jvm} and {@code directory} are null for an external server. */
    ChildJvmServer(String name, ChildJvm jvm, Path directory) {
        this.jvm = jvm;
        this.directory = directory;
        this.stopOnExit = jvm == null ? null : new StopOnExit(name, this::close);
    }

    public boolean isExternal() {
        return jvm == null;
    }

    /** Stops a started server and deletes its files; does nothing for an external one. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed || jvm == null) {
            return;
        }
        closed = true;
        stopOnExit.cancel();
        jvm.close();
        Directories.deleteRecursively(directory);
    }
}
