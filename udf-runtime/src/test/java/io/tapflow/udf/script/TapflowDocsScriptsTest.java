package io.tapflow.udf.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.FieldType;
import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TablePattern;
import io.tapflow.dsl.TableRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forms of TapFlow's data-flow API reference and tutorials (docs.tapdata.io, "TapFlow"): {@code Source}/{@code Sink}
 * objects, {@code filterType}, {@code rowFilter}, {@code write_to(..., pk=[...])}, TapFlow's field type names and
 * argument order, and what a call tapflow does not have says instead.
 */
class TapflowDocsScriptsTest {
    private static final Map<String, DataSource> CATALOG = Map.of(
            "src", new DataSource("mysql", "src", Map.of("host", "h", "username", "u", "database", "d")),
            "dst", new DataSource("postgres", "dst", Map.of("host", "h", "username", "u", "database", "d")));

    @TempDir
    Path dir;

    @Test
    void sourceSinkFilterTypesAndKeysAsTheDocsWriteThem() throws Exception {
        String script = """
                source = Source('src', table=['orders', 'customers'])
                source.initial_read_size(500)
                source.enableDDL()
                sink = Sink('dst', table=['orders', 'customers'])
                sink.keep_data()
                flow = (
                    Flow("advanced")
                    .read_from(source)
                    .filter("amount <= 100", filterType=FilterType.delete)
                    .rowFilter("record.price > 100", rowFilterType=RowFilterType.discard)
                    .write_to(sink)
                    .include_cdc()
                    .save()
                )
                Flow('typed').read_from(Source('src', table_re='ord.*')) \\
                    .add_field('flag', 'String', "'done'") \\
                    .add_fields([['n2', 'Long', 'record.n * 2'], ['v', 'BigDecimal', '100.5']]) \\
                    .write_to('dst.orders_v1', pk=['order_id', 'seq']).save()
                Flow('single').read_from(Source('src', table='orders')).rowFilter('record.price > 1') \\
                    .write_to(Sink('dst', table='orders_copy')).save()
                """;
        ScriptResult result = PipelineScripts.run(write("docs.py", script), CATALOG);

        assertThat(result.savedPipelines()).extracting(s -> s.pipeline()).containsExactly(
                Pipeline.named("advanced").readFrom(new TableRef("src", "orders"), new TableRef("src", "customers"))
                        .schemaChanges("evolve")
                        .filterOut(TapflowConditions.javaScript("amount <= 100", "filter"))
                        .filterOut("record.price > 100")
                        .writeTo(CATALOG.get("dst")),
                Pipeline.named("typed").readFrom(new TablePattern("src", List.of("ord.*"), List.of()))
                        .addField("flag", FieldValue.expression("'done'", FieldType.STRING))
                        .addField("n2", FieldValue.expression("record.n * 2", FieldType.INTEGER))
                        .addField("v", FieldValue.expression("100.5", FieldType.DECIMAL))
                        .writeTo(new TableRef("dst", "orders_v1")).key("order_id", "seq"),
                Pipeline.named("single").readFrom(new TableRef("src", "orders")).filter("record.price > 1")
                        .writeTo(new TableRef("dst", "orders_copy")));
        assertThat(result.notes()).containsExactly("Source.initial_read_size(500) changes nothing: tapflow sizes its reads "
                + "and writes itself (the README's Guarantees section tells how)");
    }

    @Test
    void callsTapflowDoesNotHaveNameTheLineAndWhatToUse() throws Exception {
        String base = "flow = Flow('f').read_from('src.orders')\n";
        assertThatThrownBy(() -> PipelineScripts.run(write("s.py", base + "flow.write_to('dst.o').start()\nprint(flow.status())\n"), CATALOG))
                .hasMessage("s.py:3: Flow.status is not supported yet: a script defines pipelines, which start when it has "
                        + "run to its end; ask the running job with 'tapflow status <name>' (or 'status <name>' in 'tapflow shell')");
        assertThatThrownBy(() -> PipelineScripts.run(write("u.py", base + "flow.js('return record;').union() \\\n"
                + "    .read_from('src.more')\n"), CATALOG))
                .hasMessageStartingWith("u.py:2: Flow.union is not supported yet: a union is one read_from of several tables");
        assertThatThrownBy(() -> PipelineScripts.run(write("ta.py", base + "flow.typeAdjust([('n', 'int')], 'orders')\n"), CATALOG))
                .hasMessage("ta.py:2: Flow.typeAdjust is not supported yet: use change_type(field, type)");
        assertThatThrownBy(() -> PipelineScripts.run(write("mo.py", base + "flow.mode('sync')\n"), CATALOG))
                .hasMessage("mo.py:2: Flow.mode is not supported yet: a tapflow pipeline always runs as TapFlow's 'sync' mode "
                        + "does (a snapshot, then every change); leave mode(...) out");
        assertThatThrownBy(() -> PipelineScripts.run(write("c.py", "sink = Sink('dst.o')\nsink.clean_table()\n"), CATALOG))
                .hasMessage("c.py:2: Sink.clean_table is not supported yet: tapflow never empties or drops a target table; "
                        + "empty it before the first run, or write to a new table");
        assertThatThrownBy(() -> PipelineScripts.run(write("m.py", base + "flow.write_to(Sink('dst', table=['a', 'b']))\n"), CATALOG))
                .hasMessage("m.py:2: Sink('dst', table=[a, b]) must name the tables the flow reads, [orders], each written "
                        + "into the table of its name; or name one table");
        assertThatThrownBy(() -> PipelineScripts.run(write("t.py", base + "flow.filter('n > 1', filterType='drop')\n"), CATALOG))
                .hasMessage("t.py:2: filter(expression, filterType=FilterType.keep | FilterType.delete): filterType 'drop' is "
                        + "not a filter type; use FilterType.keep or FilterType.delete");
        assertThatThrownBy(() -> PipelineScripts.run(write("j.py", base + "flow.js('return record.;')\n"), CATALOG))
                .hasMessage("j.py:2: js(code) (line 1): JavaScript syntax error: SyntaxError: Expected ident but found ;");
        assertThatThrownBy(() -> PipelineScripts.run(write("a.py", base + "flow.add_fields([['tags', 'Array', '[]']])\n"), CATALOG))
                .hasMessage("a.py:2: field type 'Array' is not a row value here: make the value a JSON text (JSON.stringify(...)) "
                        + "and use 'string'");
    }

    @Test
    void javaScriptHasTheFilterConstantsAndTapflowsUserOption() throws Exception {
        String script = "DataSource('postgres', 'pg', {host: 'h', user: 'u', database: 'd'}).save()\n"
                + "Flow('f').read_from('pg.a').filter('n > 1', FilterType.delete).write_to('pg.b').save()\n";
        ScriptResult result = PipelineScripts.run(write("f.js", script), Map.of());
        assertThat(result.savedDataSources()).containsExactly(
                new DataSource("postgres", "pg", Map.of("host", "h", "username", "u", "database", "d")));
        assertThat(result.savedPipelines().get(0).pipeline().steps()).containsExactly(
                new io.tapflow.dsl.Step.Filter(TapflowConditions.javaScript("n > 1", "filter"), false));
    }

    private Path write(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }
}
