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
}
