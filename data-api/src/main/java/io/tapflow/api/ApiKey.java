package io.tapflow.api;

import java.util.List;

/**
 * A stored API key: its public id, the SHA-256 of its secret (the secret itself is shown once, at creation), the APIs
 * it may read ({@code *}: all), and its rate limit as a token bucket (requests per second, burst size).
 */
public record ApiKey(String id, String secretSha256, List<String> scopes, double ratePerSecond, int burst, String created,
                     boolean revoked) {
    public ApiKey {
        scopes = List.copyOf(scopes);
    }

    public boolean allows(String api) {
        return scopes.contains("*") || scopes.contains(api);
    }

    ApiKey revoke() {
        return new ApiKey(id, secretSha256, scopes, ratePerSecond, burst, created, true);
    }
}
