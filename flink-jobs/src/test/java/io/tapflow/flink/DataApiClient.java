package io.tapflow.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** GET requests with an API key to a data API server on this machine; the body, whatever the status. */
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
}
