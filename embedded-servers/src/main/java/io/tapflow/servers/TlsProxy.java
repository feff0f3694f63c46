package io.tapflow.servers;

import java.io.IOException;
import java.net.InetAddress;
import javax.net.ssl.SSLContext;

/**
 * Terminates TLS on a loopback port and relays the plain bytes to a server (Elasticsearch 7.10 OSS has no TLS of its
 * own), so a client's https setup is tested against the real cluster behind it. For tests only.
 */
public final class TlsProxy extends LoopbackRelay {
    public TlsProxy(SSLContext context, String targetHost, int targetPort) throws IOException {
        super(context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                targetHost, targetPort, "tls-proxy");
    }
}
