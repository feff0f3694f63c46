package io.tapflow.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerUrlTest {

    @Test
    void parsesUserPasswordHostAndPort() {
        assertThat(ServerUrl.parse("VAR", "mysql", "mysql://admin:s3cret@db.example:3307"))
                .isEqualTo(new ServerUrl("admin", "s3cret", "db.example", 3307));
    }

    @Test
    void decodesPercentEncodedPasswordAndKeepsPlus() {
        assertThat(ServerUrl.parse("VAR", "postgresql", "postgresql://pg:a%40b%3Ac+d@localhost:5432").password())
                .isEqualTo("a@b:c+d");
    }

    @Test
    void rejectsMissingPortWithoutShowingThePassword() {
        assertThatThrownBy(() -> ServerUrl.parse("TAPFLOW_TEST_MYSQL_URL", "mysql", "mysql://admin:s3cret@db.example"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TAPFLOW_TEST_MYSQL_URL must look like mysql://user:password@host:port")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void rejectsOtherScheme() {
        assertThatThrownBy(() -> ServerUrl.parse("VAR", "mysql", "postgresql://u:p@h:1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void masksPasswordInToString() {
        assertThat(new ServerUrl("admin", "s3cret", "h", 1)).hasToString("admin:***@h:1");
    }
}
