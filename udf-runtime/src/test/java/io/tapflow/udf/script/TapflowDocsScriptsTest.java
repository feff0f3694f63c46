package io.tapflow.udf.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.FieldType;
import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.SourceSpec;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.TablePattern;
import io.tapflow.dsl.TableRef;
import io.tapflow.dsl.UdfLimits;
import io.tapflow.udf.GuestFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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

    /**
     * TapFlow's union tutorial: each table with its own js step, union() after each; the steps of a branch run on its
     * table's rows only, steps after the last union() on every row.
     */
    @Test
    void unionBranchesKeepTheirOwnSteps() throws Exception {
        String script = """
                usa = '''
                record.FROM = 'usa';
                return record;
                '''
                can = '''
                record.FROM = 'can';
                return record;
                '''
                flow = Flow("Inventory_Merge")
                flow.read_from("src.usa_stock").js(usa).union() \\
                    .read_from("src.can_stock").js(can).filter("qty > 0").union() \\
                    .read_from("src.sg_stock").union()
                flow.exclude("note")
                flow.write_to("dst.stock_all", pk=["id"]).save()
                Flow("short").read_from("src.a").rowFilter("record.n > 1").union("src.b").write_to("dst.ab").save()
                Flow("tables").read_from(Source("src", table=["a", "b"])).union().write_to("dst.ab").save()
                Flow("source").read_from("src.a").union(Source("src", table="b")).write_to("dst.ab").save()
                """;
        ScriptResult result = PipelineScripts.run(write("union.py", script), CATALOG);

        Pipeline merged = result.savedPipelines().get(0).pipeline();
        assertThat(merged.sources()).containsExactly(new SourceSpec("src", List.of("usa_stock", "can_stock", "sg_stock")));
        assertThat(merged.steps()).hasSize(4);
        assertThat(merged.steps().get(3)).isEqualTo(new Step.ExcludeFields(List.of("note")));
        assertThat(merged.target().key()).containsExactly("id");
        Map<String, Object> row = Map.of("id", 1, "qty", 0);
        assertThat(applied(merged, row, "d.usa_stock")).containsExactly(Map.of("id", 1, "qty", 0, "FROM", "usa"));
        assertThat(applied(merged, row, "d.can_stock")).as("the filter of can_stock's branch drops it").isEmpty();
        assertThat(applied(merged, Map.of("id", 2, "qty", 5), "d.can_stock")).containsExactly(Map.of("id", 2, "qty", 5, "FROM", "can"));
        assertThat(applied(merged, row, "d.sg_stock")).as("no step of another branch").containsExactly(row);

        Pipeline shortForm = result.savedPipelines().get(1).pipeline();
        assertThat(shortForm.sources()).containsExactly(new SourceSpec("src", List.of("a", "b")));
        assertThat(applied(shortForm, Map.of("n", 0), "d.a")).isEmpty();
        assertThat(applied(shortForm, Map.of("n", 0), "d.b")).containsExactly(Map.of("n", 0));
        assertThat(result.savedPipelines().get(2).pipeline()).isEqualTo(Pipeline.named("tables")
                .readFrom(new TableRef("src", "a"), new TableRef("src", "b")).writeTo(new TableRef("dst", "ab")));
        assertThat(result.savedPipelines().get(3).pipeline()).isEqualTo(Pipeline.named("source")
                .readFrom(new TableRef("src", "a"), new TableRef("src", "b")).writeTo(new TableRef("dst", "ab")));
    }

    /** A nested lookup's relation pair in either order: TapFlow's materialized-view guide writes the parent field first. */
    @Test
    void nestedLookupRelationInTheMaterializedViewGuidesOrder() throws Exception {
        String script = """
                for name, first, second in [('guide', 'items.product_id', 'pid'), ('reference', 'pid', 'items.product_id')]:
                    view = Flow(name)
                    view.read_from("src.orders")
                    view.lookup("src.order_items", path="items", type="array", relation=[["order_id", "order_id"]])
                    view.lookup("src.products", path="items.product", type="object", relation=[[first, second]])
                    view.write_to("dst.orders_view")
                    view.save()
                """;
        List<Pipeline> saved = PipelineScripts.run(write("view.py", script), CATALOG).savedPipelines().stream()
                .map(s -> s.pipeline()).toList();
        assertThat(saved.get(0).steps()).isEqualTo(saved.get(1).steps());
        Step.Lookup items = (Step.Lookup) saved.get(0).steps().get(0);
        assertThat(((Step.Lookup) items.steps().get(0)).on()).containsExactly(new Step.JoinField("product_id", "pid"));
    }

    @Test
    void unionBranchStepsWithoutATableScopedFormAreRefused() throws Exception {
        String base = "flow = Flow('f').read_from('src.a')\n";
        assertThatThrownBy(() -> PipelineScripts.run(write("i.py", base + "flow.include('x').union().read_from('src.b').union()\n"), CATALOG))
                .hasMessage("i.py:2: union(): a branch's own steps (between its read_from and union()) may be js(...) and "
                        + "filter(...); include(...) is not, as tapflow runs one chain of steps for the whole union: put it "
                        + "after the last union() to run it on every table, or do it in the branch's js(...)");
        assertThatThrownBy(() -> PipelineScripts.run(write("r.py", base + "flow.union().include('x').read_from('src.b')\n"), CATALOG))
                .hasMessageStartingWith("r.py:2: read_from(...) after union() and further steps: steps after union() run on every table");
        assertThatThrownBy(() -> PipelineScripts.run(write("n.py", "flow = Flow('f').read_from('src.a').js('return record;').union()\n"
                + "flow.read_from('dst.a').union()\n"), CATALOG))
                .hasMessageStartingWith("n.py:2: union(): the branches read two tables named 'a' (src.a, dst.a)");
        assertThatThrownBy(() -> PipelineScripts.run(write("e.py", "Flow('f').union()\n"), CATALOG))
                .hasMessage("e.py:1: union() follows a read_from(...): read_from('ds.t1').union().read_from('ds.t2').union()");
    }

    /** The rows the pipeline's js and filter steps make of one row of a table (other steps are left out). */
    private static List<Map<String, Object>> applied(Pipeline p, Map<String, Object> row, String table) {
        List<Map<String, Object>> rows = List.of(row);
        for (Step step : p.steps()) {
            String code = step instanceof Step.JsUdf js ? js.code()
                    : step instanceof Step.Filter f ? "return (" + f.expression() + ") === " + f.keep() + " ? record : null;"
                    : null;
            if (code == null) {
                continue;
            }
            List<Map<String, Object>> next = new ArrayList<>();
            try (GuestFunction fn = GuestFunction.javaScriptBody(step.id(), code, UdfLimits.DEFAULTS)) {
                for (Map<String, Object> r : rows) {
                    next.addAll(fn.applyTo(new HashMap<>(r), "read", table));
                }
            }
            rows = next;
        }
        return rows;
    }

    @Test
    void callsTapflowDoesNotHaveNameTheLineAndWhatToUse() throws Exception {
        String base = "flow = Flow('f').read_from('src.orders')\n";
        Map<String, DataSource> withMongo = new HashMap<>(CATALOG);
        withMongo.put("mongo", new DataSource("mongodb", "mongo", Map.of("uri", "mongodb://h:27017/d")));
        assertThatThrownBy(() -> PipelineScripts.run(write("m.py", "Flow('f').read_from('mongo.orders').write_to('dst.o').save()\n"), withMongo))
                .hasMessageContaining("source datasource 'mongo' is of type mongodb, which cannot be used as a source (it can be: [target])");
        assertThatThrownBy(() -> PipelineScripts.run(write("s.py", base + "flow.write_to('dst.o').start()\nprint(flow.status())\n"), CATALOG))
                .hasMessage("s.py:3: Flow.status is not supported yet: a script defines pipelines, which start when it has "
                        + "run to its end; ask the running job with 'tapflow status <name>' (or 'status <name>' in 'tapflow shell')");
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
