package io.tapflow.cli.shell;

import io.tapflow.cli.CliRun;
import io.tapflow.cli.catalog.SavedPipelines;
import io.tapflow.cli.catalog.SavepointHistory;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TableRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shell history and the other files tapflow writes under TAPFLOW_HOME: owner-only, and no literal secret in the history. */
class ShellHistoryTest {
    @RegisterExtension
    final CliRun cli = new CliRun();

    @Test
    void literalSecretsAreMaskedAndEnvReferencesKept() {
        assertThat(SecretLines.mask("DataSource('mysql', 'm', {'host': 'h', 'password': 'hunter2'}).save()"))
                .isEqualTo("DataSource('mysql', 'm', {'host': 'h', 'password': '******'}).save()");
        assertThat(SecretLines.mask("    \"password\" : \"hun'ter2\","))
                .isEqualTo("    \"password\" : \"******\",");
        assertThat(SecretLines.mask("DataSource('mysql', 'm').host('h').password('hunter2').save()"))
                .isEqualTo("DataSource('mysql', 'm').host('h').password('******').save()");
        assertThat(SecretLines.mask("db_pass = 'hunter2'; api_token=\"abc\"")).isEqualTo("db_pass = '******'; api_token=\"******\"");
        assertThat(SecretLines.mask("DataSource('mongodb', 'g', {'uri': 'mongodb://app:hunter2@db:27017/shop'})"))
                .isEqualTo("DataSource('mongodb', 'g', {'uri': 'mongodb://app:******@db:27017/shop'})");
        assertThat(SecretLines.mask("DataSource('mysql', 'm', config={'password': '${env:MYSQL_PW}'})"))
                .isEqualTo("DataSource('mysql', 'm', config={'password': '${env:MYSQL_PW}'})");
        assertThat(SecretLines.mask("peek customer -n 3")).isEqualTo("peek customer -n 3");
    }

    @Test
    void theHistoryFileIsOwnerOnlyAndHoldsNoLiteralSecret() throws Exception {
        Path file = ShellHistory.file();
        try (Terminal terminal = TerminalBuilder.builder().dumb(true).streams(new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream()).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).variable(LineReader.HISTORY_FILE, file)
                    .history(new ShellHistory(file)).build();
            reader.getHistory().attach(reader); // as readLine does
            reader.getHistory().add("DataSource('postgres', 'pg', {'password': 'hunter2'}).save()");
            reader.getHistory().add("show dbs");
            reader.getHistory().save();
        }
        assertThat(Files.readString(file)).doesNotContain("hunter2").contains("'password': '******'").contains("show dbs");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void savedPipelinesAndStartedSpecsAreOwnerOnly() throws Exception {
        Pipeline p = Pipeline.named("p").readFrom(new TableRef("a", "t")).writeTo(new TableRef("b", "t"));
        Path saved = SavedPipelines.save(p);
        SavepointHistory.of("p").recordStarted(io.tapflow.dsl.PipelineValidator.validate(p, Map.of(
                "a", new DataSource("mysql", "a", Map.of("host", "h", "username", "u", "database", "d")),
                "b", new DataSource("postgres", "b", Map.of("host", "h", "username", "u", "database", "d")))));
        try (var files = Files.walk(cli.home())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------");
            }
        }
        assertThat(saved).exists();
    }
}
