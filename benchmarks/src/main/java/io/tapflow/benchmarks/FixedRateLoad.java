package io.tapflow.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop HTTP/1.1 load generator, what wrk2's {@code -R} does: request {@code i} is due at {@code start + i / rate}
 * whatever the server answers, goes out on the first free keep-alive connection, and its latency is counted from
 * when it was due, not from when it could be sent. A server that stalls is charged for every request that queued
 * behind the stall (no coordinated omission), so two systems run at the same rate are compared at the same load.
 *
 * <p>Run as its own process (as wrk is), one thread on non-blocking sockets, allocating next to nothing per request:
 * <pre>
 * java -XX:+UseSerialGC -cp ... io.tapflow.benchmarks.FixedRateLoad --url=http://127.0.0.1:3080 \
 *     --path='/api/customer/{id}' --rows=1000000 --rate=7500 --seconds=30 --warmupSeconds=5 --connections=32
 * </pre>
 * {@code {id}} is replaced by a random 1..rows, {@code {balance}} by a random 0..999 per request (as the wrk scripts
 * do). An {@code Authorization} header, if any, comes from the environment variable {@code LOAD_AUTHORIZATION} so
 * that the command line carries no secret. Prints one line: {@code RESULT asked=.. achieved=.. completed=.. non2xx=..
 * unfinished=.. p50=.. p90=.. p99=.. p999=.. max=..}, latencies in microseconds, of the requests due after the warm-up.
 * Requests still unanswered 10 s after the last one was due are counted as unfinished, at their age then.
 */
public final class FixedRateLoad {
    private final String host;
    private final int port;
    private final String[] pathParts;
    private final int rows;
    private final byte[] headers;
    private final SplittableRandom random = new SplittableRandom(42);
    private final Selector selector;
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private long[] queued = new long[1024];
    private int queuedHead;
    private int queuedSize;
    private long[] latencies = new long[1 << 16];
    private int measured;
    private long non2xx;
    private long completed;
    private long completedMeasured;

    private FixedRateLoad(URI base, String path, int rows, String authorization, int connections) throws IOException {
        this.host = base.getHost();
        this.port = base.getPort();
        this.pathParts = path.split("(?=\\{)|(?<=\\})");
        this.rows = rows;
        this.headers = (" HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII);
        this.selector = Selector.open();
        for (int i = 0; i < connections; i++) {
            idle.add(new Connection(connect()));
        }
    }

    public static void main(String[] args) throws Exception {
        BenchConfig config = BenchConfig.parse(args);
        double rate = Double.parseDouble(config.string("rate", "1000"));
        int seconds = config.integer("seconds", 30);
        int warmup = config.integer("warmupSeconds", 5);
        FixedRateLoad load = new FixedRateLoad(URI.create(config.string("url", "http://127.0.0.1:3080")),
                config.string("path", "/"), config.integer("rows", 1_000_000), System.getenv("LOAD_AUTHORIZATION"),
                config.integer("connections", 32));
        System.out.println(load.run(rate, warmup, seconds));
    }

    private String run(double rate, int warmupSeconds, int seconds) throws IOException {
        double interval = 1e9 / rate;
        long start = System.nanoTime();
        long measureFrom = start + warmupSeconds * 1_000_000_000L;
        long end = measureFrom + seconds * 1_000_000_000L;
        long drainUntil = end + 10_000_000_000L;
        long next = 0;
        int busy = 0;
        while (true) {
            long now = System.nanoTime();
            for (long due = start + (long) (next * interval); due <= now && due < end; due = start + (long) (++next * interval)) {
                enqueue(due);
            }
            while (queuedSize > 0 && !idle.isEmpty()) {
                send(idle.poll(), dequeue());
                busy++;
            }
            long nextDue = start + (long) (next * interval);
            if (nextDue >= end && queuedSize == 0 && busy == 0 || now > drainUntil) {
                break;
            }
            long wait = nextDue < end ? nextDue - System.nanoTime() : 1_000_000;
            if (wait >= 1_000_000) {
                selector.select(wait / 1_000_000);
            } else {
                // select() waits whole milliseconds: a shorter wait parks (tens of microseconds late at most), then looks.
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                selector.selectNow();
            }
            for (SelectionKey key : selector.selectedKeys()) {
                Connection c = (Connection) key.attachment();
                if (c.read()) {
                    long done = System.nanoTime();
                    long due = c.due;
                    c.due = -1;
                    completed++;
                    if (c.status < 200 || c.status > 299) {
                        non2xx++;
                    }
                    if (due >= measureFrom) {
                        record(done - due);
                        completedMeasured++;
                    }
                    busy--;
                    if (c.closing) {
                        c.channel.close();
                        idle.add(new Connection(connect()));
                    } else {
                        idle.add(c);
                    }
                }
            }
            selector.selectedKeys().clear();
        }
        long now = System.nanoTime();
        int unfinished = 0;
        for (SelectionKey key : selector.keys()) {
            Connection c = (Connection) key.attachment();
            if (c.due >= 0) {
                unfinished++;
                if (c.due >= measureFrom) {
                    record(now - c.due);
                }
            }
        }
        for (int i = 0; i < queuedSize; i++) {
            unfinished++;
            record(now - queued[(queuedHead + i) % queued.length]);
        }
        long[] sorted = Arrays.copyOf(latencies, measured);
        Arrays.sort(sorted);
        return String.format("RESULT asked=%.0f achieved=%.1f completed=%d non2xx=%d unfinished=%d p50=%d p90=%d p99=%d p999=%d max=%d",
                rate, completedMeasured / (double) seconds, completed, non2xx, unfinished, micros(sorted, 50), micros(sorted, 90),
                micros(sorted, 99), micros(sorted, 99.9), sorted.length == 0 ? -1 : sorted[sorted.length - 1] / 1000);
    }

    private static long micros(long[] sorted, double p) {
        long nanos = Bench.percentile(sorted, p);
        return nanos < 0 ? -1 : nanos / 1000;
    }

    private void record(long nanos) {
        if (measured == latencies.length) {
            latencies = Arrays.copyOf(latencies, measured * 2);
        }
        latencies[measured++] = nanos;
    }

    private void enqueue(long due) {
        if (queuedSize == queued.length) {
            long[] bigger = new long[queued.length * 2];
            for (int i = 0; i < queuedSize; i++) {
                bigger[i] = queued[(queuedHead + i) % queued.length];
            }
            queued = bigger;
            queuedHead = 0;
        }
        queued[(queuedHead + queuedSize++) % queued.length] = due;
    }

    private long dequeue() {
        long due = queued[queuedHead];
        queuedHead = (queuedHead + 1) % queued.length;
        queuedSize--;
        return due;
    }

    private SocketChannel connect() throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(host, port));
        channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        channel.configureBlocking(false);
        return channel;
    }

    private void send(Connection c, long due) throws IOException {
        c.due = due;
        ByteBuffer out = c.out;
        out.clear();
        out.put((byte) 'G').put((byte) 'E').put((byte) 'T').put((byte) ' ');
        for (String part : pathParts) {
            switch (part) {
                case "{id}" -> putNumber(out, 1 + random.nextInt(rows));
                case "{balance}" -> putNumber(out, random.nextInt(1000));
                default -> {
                    for (int i = 0; i < part.length(); i++) {
                        out.put((byte) part.charAt(i));
                    }
                }
            }
        }
        out.put(headers).flip();
        while (out.hasRemaining()) {
            // A request is a few hundred bytes on loopback: the socket buffer takes it at once.
            c.channel.write(out);
        }
        c.key.interestOps(SelectionKey.OP_READ);
    }

    private static void putNumber(ByteBuffer out, int n) {
        String s = Integer.toString(n);
        for (int i = 0; i < s.length(); i++) {
            out.put((byte) s.charAt(i));
        }
    }

    /** One keep-alive connection: at most one request in flight (no pipelining), its answer read into a reused buffer. */
    private final class Connection {
        final SocketChannel channel;
        final SelectionKey key;
        final ByteBuffer out = ByteBuffer.allocate(4096);
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        long due = -1;
        int status;
        boolean closing;

        Connection(SocketChannel channel) throws IOException {
            this.channel = channel;
            this.key = channel.register(selector, 0, this);
        }

        /** Reads what is there; true once the whole answer is in (then the connection is free again). */
        boolean read() throws IOException {
            if (!in.hasRemaining()) {
                in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
            }
            if (channel.read(in) < 0) {
                throw new IOException("the server closed a connection with a request in flight");
            }
            int length = complete(in.array(), in.position());
            if (length < 0) {
                return false;
            }
            if (length != in.position()) {
                throw new IOException("the server sent more than one answer to one request");
            }
            in.clear();
            key.interestOps(0);
            return true;
        }

        /** The length of the answer in {@code b[0..n)} once it is complete, else -1 (Content-Length or chunked bodies). */
        private int complete(byte[] b, int n) throws IOException {
            int headerEnd = indexOf(b, 0, n, "\r\n\r\n");
            if (headerEnd < 0) {
                return -1;
            }
            String head = new String(b, 0, headerEnd, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
            status = Integer.parseInt(head.substring(9, 12));
            closing = head.contains("\r\nconnection: close");
            int body = headerEnd + 4;
            int lengthAt = head.indexOf("\r\ncontent-length:");
            if (lengthAt >= 0) {
                int lineEnd = head.indexOf("\r\n", lengthAt + 2);
                int length = Integer.parseInt(head.substring(lengthAt + 17, lineEnd < 0 ? head.length() : lineEnd).trim());
                return n >= body + length ? body + length : -1;
            }
            if (!head.contains("\r\ntransfer-encoding: chunked")) {
                throw new IOException("an answer with neither Content-Length nor chunked encoding: " + head);
            }
            int at = body;
            while (true) {
                int lineEnd = indexOf(b, at, n, "\r\n");
                if (lineEnd < 0) {
                    return -1;
                }
                String size = new String(b, at, lineEnd - at, StandardCharsets.ISO_8859_1);
                int semicolon = size.indexOf(';');
                int chunk = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (chunk == 0) {
                    // No trailers: the last chunk is followed by an empty line.
                    return n >= lineEnd + 4 ? lineEnd + 4 : -1;
                }
                at = lineEnd + 2 + chunk + 2;
                if (at > n) {
                    return -1;
                }
            }
        }

        private static int indexOf(byte[] b, int from, int to, String what) {
            outer:
            for (int i = from; i <= to - what.length(); i++) {
                for (int j = 0; j < what.length(); j++) {
                    if (b[i + j] != what.charAt(j)) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
