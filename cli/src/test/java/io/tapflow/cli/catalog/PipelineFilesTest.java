package io.tapflow.cli.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.cli.CliRun;
import io.tapflow.dsl.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** explain, verify and start take a script as run does: the pipeline it starts, or else the one it saves. */
class PipelineFilesTest {
    @RegisterExtension
    final CliRun cli = new CliRun();

    @Test
    void aScriptGivesThePipelineItStartsOrElseTheOneItSaves() throws Exception {
        Catalog.open().save(new DataSource("postgres", "pg", Map.of("host", "h", "username", "u", "database", "d")));
        Path started = write("started.py", "Flow('saved').read_from('pg.a').write_to('pg.b').save()\n"
                + "Flow('started').read_from('pg.a').write_to('pg.c').start()\n");
        assertThat(PipelineFiles.jobSpec(started).pipeline().name()).isEqualTo("started");
        Path saved = write("saved.js", "Flow('only').read_from('pg.a').write_to('pg.b').save();\n");
        assertThat(PipelineFiles.jobSpec(saved).pipeline().name()).isEqualTo("only");
        assertThat(Catalog.open().all()).containsOnlyKeys("pg");

        Path two = write("two.py", "Flow('x').read_from('pg.a').write_to('pg.b').save()\n"
                + "Flow('y').read_from('pg.a').write_to('pg.c').save()\n");
        assertThatThrownBy(() -> PipelineFiles.jobSpec(two))
                .hasMessage("two.py defines 2 pipelines [x, y]; call .start() on the one to use");
        Path none = write("none.py", "DataSource('postgres', 'other', {'host': 'h', 'username': 'u', 'database': 'd'}).save()\n");
        assertThatThrownBy(() -> PipelineFiles.jobSpec(none))
                .hasMessage("none.py defines no pipeline (no Flow in it calls .save() or .start())");
        assertThat(Catalog.open().all()).as("only 'tapflow run' saves a script's datasources").containsOnlyKeys("pg");
    }

    /** A directory (a shell's Tab completes one) or an empty file is said as such, in one line, for every command. */
    @Test
    void aDirectoryOrAnEmptyFileIsNamedAsSuch() throws Exception {
        Path directory = Files.createDirectory(cli.home().resolve("examples"));
        for (String command : List.of("run", "explain", "verify", "start")) {
            assertThat(cli.run(command, directory.toString())).as(command).isEqualTo(1);
            assertThat(cli.err()).as(command).isEqualTo("error: " + directory + " is a directory; give a pipeline file: "
                    + "JSON (.json), Python (.py) or JavaScript (.js)\n");
        }
        Path empty = write("empty.json", "");
        assertThat(cli.run("explain", empty.toString())).isEqualTo(1);
        assertThat(cli.err()).isEqualTo("error: " + empty + ": the file is empty; it must hold one JSON object { ... }\n");
    }

    private Path write(String name, String text) throws Exception {
        Path file = cli.home().resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
