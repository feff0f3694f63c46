package io.tapflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.cli.CliRun;
import io.tapflow.cli.catalog.Catalog;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code tapflow datasource add} as a user types it carelessly: a piped password, a MongoDB URI naming its database. */
class DataSourceAddTest {
    @RegisterExtension
    final CliRun cli = new CliRun();

    @Test
    void aPasswordFromStandardInputMustNotBeEmpty() throws Exception {
        String[] add = {"datasource", "add", "pg", "--type", "postgres", "-o", "host=h", "-o", "username=u", "-o", "database=d", "--password"};
        InputStream stdin = System.in;
        try {
            for (String piped : List.of("", "\n")) { // '< /dev/null' and 'echo |'
                System.setIn(new ByteArrayInputStream(piped.getBytes(StandardCharsets.UTF_8)));
                assertThat(cli.run(add)).isEqualTo(2);
                assertThat(cli.err()).isEqualTo("error: --password: standard input is not a terminal and gave no password (an "
                        + "empty line or nothing); pipe it in as one line (printf '%s\\n' \"$PW\" | tapflow datasource add ... "
                        + "--password), or use -o 'password=${env:NAME}'; a datasource without a password takes no --password "
                        + "(see 'tapflow datasource add --help')\n");
                assertThat(Catalog.open().all()).isEmpty();
            }
            System.setIn(new ByteArrayInputStream("s3cret pass\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(cli.run(add)).isZero();
            assertThat(cli.out() + cli.err()).isEqualTo("saved datasource 'pg' (postgres)\n");
            assertThat(Catalog.open().get("pg").get("password")).isEqualTo("s3cret pass");
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void aMongoUriNamingItsDatabaseNeedsNoDatabaseOption() {
        assertThat(cli.run("datasource", "add", "m", "--type", "mongodb", "-o", "uri=mongodb://127.0.0.1:27017/shop")).isZero();
        assertThat(Catalog.open().get("m").get("database")).isEqualTo("shop");
        assertThat(cli.run("datasource", "add", "n", "--type", "mongodb", "-o", "uri=mongodb://127.0.0.1:27017")).isEqualTo(1);
        assertThat(cli.err()).isEqualTo("error: datasource 'n': missing required option 'database' (database that holds the "
                + "target collections)\n");
    }
}
