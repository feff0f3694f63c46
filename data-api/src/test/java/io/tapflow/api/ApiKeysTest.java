package io.tapflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {
    @TempDir
    Path home;

    @Test
    void onlyTheHashIsStoredAndARevokedKeyNoLongerMatches() throws Exception {
        ApiKeys keys = new ApiKeys(home);
        ApiKeys.Created created = keys.create(List.of("customers"), 5, 10);
        String secret = created.secret().substring(created.secret().lastIndexOf('_') + 1);
        assertThat(Files.readString(home.resolve("api-keys.json"))).doesNotContain(secret).contains(ApiKeys.sha256(secret));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("api-keys.json"))))
                .isEqualTo("rw-------");
        assertThat(ApiKeys.match(keys.all(), created.secret())).contains(created.key());
        assertThat(ApiKeys.match(keys.all(), created.secret() + "0")).isEmpty();
        assertThat(ApiKeys.match(keys.all(), "tfk_" + created.key().id())).isEmpty();
        keys.revoke(created.key().id());
        assertThat(ApiKeys.match(keys.all(), created.secret())).isEmpty();
        assertThatThrownBy(() -> keys.revoke("nope")).hasMessageContaining("no API key 'nope'");
        assertThatThrownBy(() -> keys.create(List.of(), 1, 1)).hasMessageContaining("at least one scope");
    }
}
