package io.tapflow.flink;

import io.tapflow.servers.LoopbackRelay;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A loopback TCP relay to a server that the test can cut off, as a network that drops every packet: while cut, no byte
 * passes either way and new connections wait to be relayed, so clients see silence rather than a refused or reset
 * connection. Like TCP retransmitting, everything sent meanwhile arrives once the cut ends.
 */
final class NetworkCutProxy extends LoopbackRelay {
    private final Object gate = new Object();
    private boolean cut;

    NetworkCutProxy(String targetHost, int targetPort) throws IOException {
        super(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetHost, targetPort, "network-cut-proxy");
    }

    /** Drops all traffic (true) or lets it pass again (false). */
    void cut(boolean on) {
        synchronized (gate) {
            cut = on;
            gate.notifyAll();
        }
    }

    /** Bytes read during a cut are held here, as the network would retransmit them. */
    @Override
    protected void awaitPassage() throws InterruptedException {
        synchronized (gate) {
            while (cut) {
                gate.wait();
            }
        }
    }

    @Override
    public void close() throws IOException {
        cut(false);
        super.close();
    }
}
