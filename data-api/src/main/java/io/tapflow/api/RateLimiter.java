package io.tapflow.api;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** A token bucket per API key: {@code burst} tokens, refilled at the key's rate; an empty bucket says how long to wait. */
final class RateLimiter {
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    RateLimiter(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** 0 when the request may go ahead, else the whole seconds until a token is there (at least 1). */
    long acquire(ApiKey key) {
        return buckets.computeIfAbsent(key.id(), id -> new Bucket(key.burst(), nanoTime.getAsLong()))
                .take(key.ratePerSecond(), key.burst(), nanoTime.getAsLong());
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(int burst, long now) {
            this.tokens = burst;
            this.last = now;
        }

        synchronized long take(double rate, int burst, long now) {
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / rate));
        }
    }
}
