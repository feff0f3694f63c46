package io.tapflow.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Relays every connection accepted on a loopback port to a server, byte for byte in both directions. Tests put it
 * between a client and a real server to change what the network does: {@link TlsProxy} terminates TLS in front of
 * it, a subclass overriding {@link #awaitPassage()} can hold all traffic. For tests only.
 */
public class LoopbackRelay implements AutoCloseable {
    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final ExecutorService threads;

    protected LoopbackRelay(ServerSocket server, String targetHost, int targetPort, String threadName) {
        this.server = server;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        threads.execute(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Called before a connection is made to the server and before each chunk of bytes passes; returns when it may. */
    protected void awaitPassage() throws InterruptedException {}

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> connect(client));
            } catch (IOException e) {
                // closed, or one connection failed (a TLS client that refused the certificate): keep serving the others
            }
        }
    }

    private void connect(Socket client) {
        try {
            awaitPassage();
            Socket target = new Socket(targetHost, targetPort);
            threads.execute(() -> relay(client, target));
            threads.execute(() -> relay(target, client));
        } catch (IOException | InterruptedException e) {
            closeQuietly(client);
        }
    }

    private void relay(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                awaitPassage();
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the other side closed, or the relay did
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
