package io.tapflow.udf.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Python script of README.md, exactly as printed there, and the error the README says a typo in it gives. */
class ReadmeScriptTest {
    @TempDir
    Path dir;

    private static String readmeScript() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("```python\n") + "```python\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }

    @Test
    void readmeScriptDefinesTheOrdersFlow() throws Exception {
        ScriptResult result = PipelineScripts.run(Files.writeString(dir.resolve("orders.py"), readmeScript()), Map.of());
        assertThat(result.started()).singleElement().satisfies(s -> {
            assertThat(s.pipeline().name()).isEqualTo("orders_flow");
            assertThat(s.pipeline().steps()).hasSize(3);
        });
    }

    @Test
    void readmeTypoErrorIsTheOneTheReadmeShows() throws Exception {
        String typo = readmeScript().replace("read_from(\"MySQL_ECommerce.", "read_from(\"MySQL_Ecom.");
        assertThatThrownBy(() -> PipelineScripts.run(Files.writeString(dir.resolve("orders.py"), typo), Map.of()))
                .hasMessage("orders.py:9: unknown datasource 'MySQL_Ecom'; known datasources: MongoDB_ECommerce, MySQL_ECommerce");
        assertThat(Files.readString(Path.of("..", "README.md")))
                .contains("`orders.py:9: unknown datasource 'MySQL_Ecom'; known datasources: MongoDB_ECommerce,\nMySQL_ECommerce`");
    }
}
