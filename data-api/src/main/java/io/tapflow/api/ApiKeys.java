package io.tapflow.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tapflow.dsl.TapflowException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The API keys, in {@code $TAPFLOW_HOME/api-keys.json} (owner-only). A key reads {@code tfk_<id>_<secret>} with a
 * 256-bit random secret; only the secret's SHA-256 is stored. A fast hash is enough for secrets of that entropy (no
 * dictionary to try), and it keeps each request's check cheap; comparison is constant-time.
 */
public final class ApiKeys {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path file;

    public ApiKeys(Path home) {
        this.file = home.resolve("api-keys.json");
    }

    /** A key created with these scopes and limit: the stored record and the full key, to be shown once. */
    public record Created(ApiKey key, String secret) {}

    public Created create(List<String> scopes, double ratePerSecond, int burst) {
        if (scopes.isEmpty()) {
            throw new TapflowException("a key needs at least one scope: an API name, or * for all APIs");
        }
        if (!(ratePerSecond > 0) || burst < 1) {
            throw new TapflowException("rate must be above 0 requests/s and burst at least 1, got rate " + ratePerSecond + ", burst " + burst);
        }
        byte[] idBytes = new byte[6];
        byte[] secretBytes = new byte[32];
        RANDOM.nextBytes(idBytes);
        RANDOM.nextBytes(secretBytes);
        String id = HexFormat.of().formatHex(idBytes);
        String secret = HexFormat.of().formatHex(secretBytes);
        ApiKey key = new ApiKey(id, sha256(secret), scopes, ratePerSecond, burst, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), false);
        List<ApiKey> all = new ArrayList<>(all());
        all.add(key);
        write(all);
        return new Created(key, "tfk_" + id + "_" + secret);
    }

    public void revoke(String id) {
        List<ApiKey> all = new ArrayList<>(all());
        int i = indexOf(all, id);
        if (i < 0) {
            throw new TapflowException("no API key '" + id + "'; list them with: tapflow api key list");
        }
        all.set(i, all.get(i).revoke());
        write(all);
    }

    public List<ApiKey> all() {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return JSON.readValue(Files.readString(file), new TypeReference<List<ApiKey>>() { });
        } catch (IOException e) {
            throw new TapflowException("cannot read the API keys in " + file + ": " + e.getMessage(), e);
        }
    }

    /** The live (not revoked) key a presented {@code tfk_<id>_<secret>} is, if any. */
    public static Optional<ApiKey> match(List<ApiKey> keys, String presented) {
        if (presented == null || !presented.startsWith("tfk_") || presented.length() > 200) {
            return Optional.empty();
        }
        int sep = presented.indexOf('_', 4);
        if (sep < 0) {
            return Optional.empty();
        }
        String id = presented.substring(4, sep);
        byte[] hash = sha256(presented.substring(sep + 1)).getBytes(StandardCharsets.US_ASCII);
        return keys.stream().filter(k -> k.id().equals(id) && !k.revoked())
                .filter(k -> MessageDigest.isEqual(k.secretSha256().getBytes(StandardCharsets.US_ASCII), hash)).findFirst();
    }

    Path file() {
        return file;
    }

    private static int indexOf(List<ApiKey> keys, String id) {
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private void write(List<ApiKey> keys) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "api-keys", ".tmp");
            ApiCatalog.ownerOnly(tmp);
            Files.writeString(tmp, JSON.writeValueAsString(keys));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new TapflowException("cannot write the API keys to " + file + ": " + e.getMessage(), e);
        }
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
