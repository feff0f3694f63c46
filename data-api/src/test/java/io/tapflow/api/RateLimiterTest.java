package io.tapflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    @Test
    void aBurstThenTheRateThenRecovery() {
        AtomicLong now = new AtomicLong();
        RateLimiter limiter = new RateLimiter(now::get);
        ApiKey key = new ApiKey("k", "h", List.of("*"), 0.5, 2, "t", false);
        assertThat(limiter.acquire(key)).isZero();
        assertThat(limiter.acquire(key)).isZero();
        assertThat(limiter.acquire(key)).isEqualTo(2); // one token takes 2 s at 0.5/s
        now.addAndGet(1_000_000_000L);
        assertThat(limiter.acquire(key)).isEqualTo(1);
        now.addAndGet(1_000_000_000L);
        assertThat(limiter.acquire(key)).isZero();
    }
}
