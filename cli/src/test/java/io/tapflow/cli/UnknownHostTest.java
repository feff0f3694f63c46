package io.tapflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A host name that does not resolve is said to be one, not reported as a failed connection attempt. */
class UnknownHostTest {
    @RegisterExtension
    final CliRun cli = new CliRun();

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mariadb"})
    void anUnresolvableHostIsNamed(String type) {
        assertThat(cli.run("datasource", "add", "far", "--type", type, "-o", "host=no-such-host.invalid", "-o", "username=u",
                "-o", "database=d")).isZero();
        assertThat(cli.run("datasource", "test", "far")).isEqualTo(1);
        assertThat(cli.err()).containsPattern("error: datasource 'far' \\((mysql|postgres) at no-such-host.invalid:\\d+\\): ")
                .contains("the host name 'no-such-host.invalid' could not be resolved; check the datasource's host option")
                .doesNotContain("\tat ");
    }

    @Test
    void anUnresolvableMongoDbHostIsNamed() {
        assertThat(cli.run("datasource", "add", "far", "--type", "mongodb", "-o", "uri=mongodb://app:secret@no-such-host.invalid:27017",
                "-o", "database=d")).isZero();
        assertThat(cli.run("datasource", "test", "far")).isEqualTo(1);
        assertThat(cli.err()).contains("the host name in no-such-host.invalid:27017 could not be resolved; check the datasource's"
                + " uri option").doesNotContain("secret");
    }
}
