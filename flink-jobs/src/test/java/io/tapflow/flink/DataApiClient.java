package io.tapflow.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** GET requests with an API key to a data API server on this machine: a body whatever the status, or a live event stream. */
final class DataApiClient {
    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;
    private final String key;

    DataApiClient(int port, String key) {
        this.port = port;
        this.key = key;
    }

    String get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A line of an event stream and when it arrived ({@code System.nanoTime()} in ms). */
    record Line(String text, long arrivedMillis) {}

    /** The lines of a Server-Sent Events stream as they arrive, read on the client's own thread. */
    BlockingQueue<Line> stream(String path) {
        BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
        http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + key)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> r.body().forEach(l -> lines.add(new Line(l, System.nanoTime() / 1_000_000))));
        return lines;
    }

    /** When the first line containing {@code text} arrived; fails after the timeout. */
    static long awaitLine(BlockingQueue<Line> lines, String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Line line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.text().contains(text)) {
                return line.arrivedMillis();
            }
        }
        throw new AssertionError("no event containing " + text + " within " + timeout);
    }
}
