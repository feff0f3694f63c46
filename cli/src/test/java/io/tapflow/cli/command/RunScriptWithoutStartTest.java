package io.tapflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TapFlow's examples often only create datasources or save a flow: 'tapflow run' of such a script keeps what it defined
 * and runs nothing, successfully.
 */
class RunScriptWithoutStartTest {
    @RegisterExtension
    final CliRun cli = new CliRun();

    @Test
    void savesTheDatasourcesAndFlowsOfAScriptThatStartsNothing() throws Exception {
        Path script = cli.home().resolve("define.js");
        Files.writeString(script, "DataSource('postgres', 'pg', {host: 'h', username: 'u', database: 'd'}).save();\n"
                + "Flow('copy').read_from('pg.a').write_to('pg.b').save();\n");

        assertThat(cli.run("run", script.toString())).isZero();
        assertThat(cli.out()).isEqualTo("saved datasource pg\n"
                + "saved pipeline 'copy'; run it with: tapflow run " + cli.home().resolve("pipelines/copy.json") + "\n"
                + "define.js starts no pipeline (no Flow in it calls .start()), so nothing runs\n");
        assertThat(cli.run("datasource", "list")).isZero();
        assertThat(cli.out()).contains("pg ");
        assertThat(cli.home().resolve("pipelines/copy.json")).exists();
    }

    @Test
    void aScriptThatPublishesAnApiSaysHowToPublishIt() throws Exception {
        Path script = cli.home().resolve("api.py");
        Files.writeString(script, "DataSource('postgres', 'pg', {'host': 'h', 'username': 'u', 'database': 'd'}).save()\n"
                + "Api('customers').read_from('pg.customer').fields('id', 'name').publish()\n");

        assertThat(cli.run("run", script.toString())).isZero();
        assertThat(cli.out()).isEqualTo("saved datasource pg\n"
                + "defines data API 'customers', which 'run' does not publish; publish it with: tapflow api publish " + script + "\n"
                + "api.py starts no pipeline (no Flow in it calls .start()), so nothing runs\n");
    }
}
