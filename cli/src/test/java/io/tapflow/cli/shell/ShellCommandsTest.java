package io.tapflow.cli.shell;

import io.tapflow.cli.CliRun;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Shell commands in the spellings of TapFlow's shell guide, and TapFlow's statement written over several lines. */
class ShellCommandsTest {
    @RegisterExtension
    final CliRun cli = new CliRun();

    private final StringWriter text = new StringWriter();

    private String run(String... statements) {
        text.getBuffer().setLength(0);
        try (ShellCommands commands = new ShellCommands(new PrintWriter(text, true), false)) {
            for (String statement : statements) {
                commands.execute(statement);
            }
        }
        return text.toString();
    }

    @Test
    void tapflowsSpellingsOfTheCommands() {
        assertThat(run("h postgres")).contains("required options:\n  host ");
        assertThat(run("h")).contains("commands (help <command> or help <connector> for more):");
        assertThat(run("help stats")).contains("status [job] <name>");
        assertThat(run("validate datasource nope")).contains("error: unknown datasource 'nope'");
        assertThat(run("show datasources")).doesNotContain("error");
        assertThat(run("show flows", "status job ghost", "stats flow ghost", "logs pipeline ghost"))
                .doesNotContain("unknown command").doesNotContain("missing argument");
        assertThat(run("status job")).contains("error: missing argument; usage: status [job] <name>");
        assertThat(run("reset job Demo")).isEqualTo("error: reset is not a tapflow command: start a pipeline over, with a new "
                + "snapshot, with 'tapflow run --fresh <pipeline>'\n");
        assertThat(run("stauts Demo")).startsWith("error: unknown command 'stauts'; did you mean 'status'?; commands: ");
    }

    @Test
    void aTapflowCommandTypedInTheShellSaysWhatToTypeInstead() {
        assertThat(run("run orders.py")).isEqualTo("error: 'run' is a tapflow command, not a shell command: run 'tapflow run "
                + "<file>' outside the shell (it runs in the foreground until Ctrl-C); here, Flow(...).start() or 'start job "
                + "<name>' submits a pipeline to the Flink cluster\n");
        assertThat(run("jobs")).isEqualTo("error: 'jobs' is a tapflow command, not a shell command: type 'show jobs'\n");
        assertThat(run("datasource add x")).contains("'show dbs' lists the datasources").contains("DataSource(...).save() adds one");
        assertThat(run("quickstart")).contains("run 'tapflow quickstart' outside the shell");
        assertThat(run("rnu x.py")).startsWith("error: unknown command 'rnu'; did you mean 'run'? 'run' is a tapflow command");
        assertThat(run("help cluster")).isEqualTo("'cluster' is a tapflow command, not a shell command: run 'tapflow cluster "
                + "start|stop|status' outside the shell\n");
    }

    @Test
    void dataApiCommandsAndStatements() {
        assertThat(run("api list")).contains("no published APIs");
        assertThat(run("api key create --scope customers")).containsPattern("tfk_[0-9a-f]{12}_[0-9a-f]{64}");
        assertThat(run("api key list")).contains("active").contains("customers");
        assertThat(run("Api('c').read_from('nope.customer').fields('id').publish()")).contains("error: unknown datasource 'nope'");
        assertThat(run("help api")).contains("api list|show|publish|unpublish|serve|key");
    }

    @Test
    void aLineStartingWithADotGoesOnWithTheNameTheStatementBeforeAssigned() {
        String out = run("pg = DataSource('postgres', 'pg', {'host': 'h', 'username': 'u', 'database': 'd', 'password': 'pw'})",
                "                    .type('target')",
                "                    .save()",
                ".save()");
        assertThat(out).contains("saved datasource 'pg' (postgres)");
        assertThat(out.split("saved datasource", -1)).hasSize(3); // each .save() line saved it once
        // As in TapFlow's shell, a datasource's name is a variable whose attributes are its tables.
        assertThat(run("Flow('f').read_from(pg.orders).write_to(pg.orders_copy).save()")).contains("saved pipeline 'f'");
        assertThat(run("print('x')", ".save()")).contains("error: a line starting with '.' goes on with the statement before it,"
                + " which assigned no name; write name = ... on that statement, or end its last line with \\");
    }
}
