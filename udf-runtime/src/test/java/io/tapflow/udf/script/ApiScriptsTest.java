package io.tapflow.udf.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.api.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Api(...)} in Python and JavaScript scripts gives the same definition as the Java builder. */
class ApiScriptsTest {
    private static final Map<String, DataSource> CATALOG = Map.of("demo-pg", DataSource.of("postgres", "demo-pg"));
    private static final Api EXPECTED = Api.named("customers").readFrom(CATALOG.get("demo-pg").table("customer"))
            .fields("id", "name", "country", "balance").filterable("country", "balance").sortable("balance")
            .param("min_balance", "balance", "gte");

    @TempDir
    Path dir;

    @Test
    void pythonWithKeywordArguments() throws Exception {
        Path file = dir.resolve("apis.py");
        Files.writeString(file, """
                from tapflow.lib import *
                Api('customers').read_from('demo-pg.customer').fields('id', 'name', 'country', 'balance') \\
                    .filterable('country', 'balance').sortable('balance').param('min_balance', field='balance', op='gte').publish()
                """);
        assertThat(PipelineScripts.run(file, CATALOG).publishedApis()).containsExactly(EXPECTED);
    }

    @Test
    void changesFromATopicWhoseNameHasDots() throws Exception {
        Path file = dir.resolve("topic.py");
        Files.writeString(file, """
                Api('products').read_from('demo-pg.product').fields('id').changes_from('events.shop.product.changes').publish()
                """);
        Map<String, DataSource> catalog = Map.of("demo-pg", DataSource.of("postgres", "demo-pg"),
                "events", DataSource.of("kafka", "events"));
        assertThat(PipelineScripts.run(file, catalog).publishedApis().get(0).changesFrom())
                .isEqualTo(new io.tapflow.dsl.api.ApiTopic("events", "shop.product.changes"));
    }

    @Test
    void javaScript() throws Exception {
        Path file = dir.resolve("apis.js");
        Files.writeString(file, """
                new Api('customers').readFrom('demo-pg.customer').fields('id', 'name', 'country', 'balance')
                    .filterable('country', 'balance').sortable('balance').param('min_balance', 'balance', 'gte').publish();
                """);
        assertThat(PipelineScripts.run(file, CATALOG).publishedApis()).containsExactly(EXPECTED);
    }

    /** The README's Data APIs section: its Python, JavaScript and JSON forms are the example file's API. */
    @Test
    void readmeFormsAreTheExample() throws Exception {
        Map<String, DataSource> catalog = Map.of("demo-pg", DataSource.of("postgres", "demo-pg"));
        Api example = PipelineScripts.run(Path.of("..", "examples", "python", "customers_api.py"), catalog).publishedApis().get(0);
        String readme = Files.readString(Path.of("..", "README.md"));
        String section = readme.substring(readme.indexOf("## Data APIs"));
        for (String lang : new String[] {"python", "javascript"}) {
            int start = section.indexOf("```" + lang + "\n") + lang.length() + 4;
            Path file = Files.writeString(dir.resolve(lang.equals("python") ? "readme.py" : "readme.js"),
                    section.substring(start, section.indexOf("```", start)));
            assertThat(PipelineScripts.run(file, catalog).publishedApis()).as(lang).containsExactly(example);
        }
        int json = section.indexOf("`{\"name\": \"customers\"") + 1;
        assertThat(io.tapflow.dsl.DefinitionJson.api(section.substring(json, section.indexOf("}`", json) + 1).replace("\n", " "), "README.md"))
                .isEqualTo(example);
    }

    @Test
    void everyProblemIsReportedAtOnceWithTheLine() throws Exception {
        Path file = dir.resolve("bad.py");
        Files.writeString(file, "x = 1\nApi('c').read_from('demo-pg.customer').fields('id').sortable('balance').param('limit', field='nope', op='between').publish()\n");
        assertThatThrownBy(() -> PipelineScripts.run(file, CATALOG)).hasMessageContaining("bad.py:2")
                .hasMessageContaining("sortable field 'balance' is not among the fields [id]")
                .hasMessageContaining("parameter name 'limit' is not allowed")
                .hasMessageContaining("filters field 'nope'")
                .hasMessageContaining("operator 'between'");
    }
}
