package io.tapflow.flink;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback TCP relay to a server that the test can cut off, as a network that drops every packet: while cut, no byte
 * passes either way and new connections wait to be relayed, so clients see silence rather than a refused or reset
 * connection. Like TCP retransmitting, everything sent meanwhile arrives once the cut ends.
 */
final class NetworkCutProxy implements AutoCloseable {
    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final Object gate = new Object();
    private boolean cut;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "network-cut-proxy");
        t.setDaemon(true);
        return t;
    });

    NetworkCutProxy(String targetHost, int targetPort) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        threads.execute(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Drops all traffic (true) or lets it pass again (false). */
    void cut(boolean on) {
        synchronized (gate) {
            cut = on;
            gate.notifyAll();
        }
    }

    private void awaitOpen() throws InterruptedException {
        synchronized (gate) {
            while (cut) {
                gate.wait();
            }
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> connect(client));
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void connect(Socket client) {
        try {
            awaitOpen();
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
                awaitOpen(); // bytes read during a cut are held here, as the network would retransmit them
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the other side closed, or the proxy did
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
        cut(false);
        server.close();
        threads.shutdownNow();
    }
}
