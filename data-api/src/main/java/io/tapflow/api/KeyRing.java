package io.tapflow.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;

/** The keys a running server checks against, re-read when the key file changes, so that a revoked key stops working at once. */
final class KeyRing {
    private final ApiKeys keys;
    private volatile List<ApiKey> current = List.of();
    private volatile FileTime loaded;

    KeyRing(ApiKeys keys) {
        this.keys = keys;
    }

    Optional<ApiKey> match(String presented) {
        return ApiKeys.match(fresh(), presented);
    }

    private List<ApiKey> fresh() {
        FileTime modified;
        try {
            modified = Files.exists(keys.file()) ? Files.getLastModifiedTime(keys.file()) : FileTime.fromMillis(0);
        } catch (IOException e) {
            return current;
        }
        if (!modified.equals(loaded)) {
            synchronized (this) {
                current = keys.all();
                loaded = modified;
            }
        }
        return current;
    }
}
