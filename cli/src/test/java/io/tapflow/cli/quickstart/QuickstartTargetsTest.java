package io.tapflow.cli.quickstart;

import io.tapflow.cli.CliRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.TapflowException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** quickstart --targets: aliases, order, duplicates, and an unknown name refused before anything starts. */
class QuickstartTargetsTest {
    @Test
    void aliasesResolveInTheOrderGivenOnce() {
        assertThat(QuickstartTargets.parse(List.of("kafka", "ES", "postgresql", "mongo", "elasticsearch")))
                .containsExactly("kafka", "elasticsearch", "postgres", "mongodb");
        assertThat(QuickstartTargets.serversToStart(List.of("postgres", "mongodb")))
                .isEqualTo("MariaDB (embedded, binlog on), PostgreSQL (embedded) and the MongoDB emulator");
    }

    @Test
    void anUnknownTargetIsOneLineNamingTheAllowedOnes() {
        assertThatThrownBy(() -> QuickstartTargets.parse(List.of("postgres", "redis")))
                .isInstanceOf(TapflowException.class)
                .hasMessage("--targets: unknown target 'redis'; allowed: postgres, mongodb, elasticsearch (es), kafka");
    }

    @RegisterExtension
    final CliRun cli = new CliRun();

    @Test
    void theCommandRefusesItBeforeStartingAServer() {
        assertThat(cli.run("quickstart", "--targets", "postgres,redis")).as("a usage error").isEqualTo(2);
        assertThat(cli.err()).isEqualTo("error: --targets: unknown target 'redis'; allowed: postgres, mongodb, elasticsearch (es), "
                + "kafka (see 'tapflow quickstart --help')\n");
        assertThat(cli.out()).doesNotContain("starting MariaDB");
    }
}
