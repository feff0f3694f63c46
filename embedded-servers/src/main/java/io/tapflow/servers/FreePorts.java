package io.tapflow.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Picks TCP ports that are free at the moment of the call. */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * Returns a port nobody listens on right now. Another process may still take it before the caller binds it; the
     * servers here accept that small race because their executables only take a port number, not a bound socket.
     */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free TCP port", e);
        }
    }

    /**
     * Returns the first of {@code count} consecutive ports nobody listens on right now (a server that takes a port and
     * the ones after it, as an HA cluster's second JobManager does); the same race as {@link #pick()}.
     */
    public static int pickConsecutive(int count) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int first = pick();
            if (first + count - 1 <= 65535 && allFree(first + 1, count - 1)) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free TCP ports in 100 attempts");
    }

    private static boolean allFree(int from, int count) {
        for (int port = from; port < from + count; port++) {
            try (ServerSocket ignored = new ServerSocket(port)) {
                // free
            } catch (IOException inUse) {
                return false;
            }
        }
        return true;
    }
}
