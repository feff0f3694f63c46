package io.tapflow.cli.catalog;

import static io.tapflow.dsl.Lookups.arrayKey;
import static io.tapflow.dsl.Lookups.as;
import static io.tapflow.dsl.Lookups.flatten;
import static io.tapflow.dsl.Lookups.on;
import static io.tapflow.dsl.Lookups.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.FieldType;
import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.RestartPolicy;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.TableRef;
import io.tapflow.udf.script.PipelineScripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code show <pipeline>}: the Python it prints, run as a script, defines the same pipeline again. */
class PipelineDslTest {
    static final Map<String, DataSource> CATALOG = Map.of(
            "src", new DataSource("mysql", "src", Map.of("host", "h", "username", "u", "database", "d")),
            "src2", new DataSource("mysql", "src2", Map.of("host", "h2", "username", "u", "database", "d2")),
            "dst", new DataSource("postgres", "dst", Map.of("host", "h", "username", "u", "database", "d")));

    @Test
    void everyStepRoundTripsThroughThePythonDsl(@TempDir Path dir) throws Exception {
        Pipeline original = Pipeline.named("all-steps")
                .readFrom(new TableRef("src", "orders"), new TableRef("src2", "orders"), new TableRef("src", "items"))
                .filter("record.amount > 10").filterOut("record.note == 'x'")
                .include("id", "amount", "note", "tags", "kind").exclude("note")
                .renameFields(Map.of("amount", "total"))
                .addField("label", FieldValue.expression("record.id + '\\n'", FieldType.of("string")))
                .changeType("total", FieldType.of("double"))
                .valueMap("kind", Map.of("a", "alpha"))
                .unwind("tags")
                .renameTables("p_", "_s")
                .renameTables("", "", io.tapflow.dsl.NameCase.LOWER)
                .js("return record;")
                .withStep(new Step.PyUdf("def shout(record):\n    return record\n", "shout", "x.py:1"))
                .writeTo(new TableRef("dst", "all_orders")).key("id")
                .parallelism(2).onError(ErrorPolicy.skip(7)).verifySamplePerSecond(3)
                .restarts(RestartPolicy.fixed(5, java.time.Duration.ofMillis(2500)));
        String python = PipelineDsl.python(original);
        Path script = dir.resolve("shown.py");
        Files.writeString(script, python);

        Pipeline again = PipelineScripts.run(script, CATALOG).savedPipelines().get(0).pipeline();

        assertThat(again.sources()).isEqualTo(original.sources());
        assertThat(again.target()).isEqualTo(original.target());
        assertThat(again.settings()).isEqualTo(original.settings());
        assertThat(again.steps().subList(0, 12)).isEqualTo(original.steps().subList(0, 12));
        assertThat(again.steps().get(12)).isInstanceOfSatisfying(Step.PyUdf.class, py -> assertThat(py.function()).isEqualTo("shout"));
        assertThat(PipelineDsl.python(again)).isEqualTo(python);
        assertThat(python).contains(".rename_tables('', '', case='lower')");
        assertThat(python).startsWith("def shout(record):\n    return record\n\nFlow('all-steps')");
    }

    /** Table patterns and the schema-change policy are said in Python too; excluding patterns only as a comment. */
    @Test
    void tablePatternsAndSchemaChangePolicyRoundTrip(@TempDir Path dir) throws Exception {
        Pipeline original = Pipeline.named("sel").readFrom(CATALOG.get("src").tables("d\\.order_.*"))
                .writeTo(CATALOG.get("dst")).schemaChanges("evolve").schemaChange("drop_column", "lenient").schemaChange("truncate", "ignore");
        Path script = dir.resolve("sel.py");
        Files.writeString(script, PipelineDsl.python(original));
        assertThat(PipelineDsl.python(original)).contains(".schema_changes('evolve', drop_column='lenient', truncate='ignore')");
        Pipeline again = PipelineScripts.run(script, CATALOG).savedPipelines().get(0).pipeline();
        assertThat(again).isEqualTo(original);
        assertThat(PipelineDsl.python(original.readFrom(CATALOG.get("src").tables("order_.*").except("order_tmp"))))
                .contains("# source src leaves out the tables matching order_tmp");
    }

    @Test
    void aQuerySourceIsShownAsTapFlowWritesIt(@TempDir Path dir) throws Exception {
        Pipeline original = Pipeline.named("top").readQuery(new TableRef("src", "orders"),
                "SELECT id, 'it''s' AS note FROM orders ORDER BY id LIMIT 3").writeTo(new TableRef("dst", "top_orders"));
        String python = PipelineDsl.python(original);
        assertThat(python).contains(".read_from('src.orders', query='SELECT id, \\'it\\'\\'s\\' AS note FROM orders ORDER BY id LIMIT 3')");
        Path script = dir.resolve("query.py");
        Files.writeString(script, python);
        assertThat(PipelineScripts.run(script, CATALOG).savedPipelines().get(0).pipeline().sources()).isEqualTo(original.sources());
    }

    /** Lookups in TapFlow's words where it has them; rows with their own steps (and lookups) as a Flow of their own. */
    @Test
    void lookupsRoundTripThroughThePythonDsl(@TempDir Path dir) throws Exception {
        DataSource src = CATALOG.get("src");
        Pipeline original = Pipeline.named("orders-view").readFrom(src.table("orders"))
                .lookup(src.table("customer"), on("customer_id", "id"), as("customer"))
                .lookup(src.table("region"), on("region_id", "id").and("country", "country"), flatten("region_"))
                .lookup(src.table("seller"), on("seller_id", "id"), flatten(""))
                .lookupMany(rows(src.table("order_items")).exclude("note").filter("record.qty > 0")
                                .lookup(rows(src.table("product")).renameFields(Map.of("name", "title")),
                                        on("product_id", "id"), as("product")),
                        on("id", "order_id"), as("items"), arrayKey("item_id"))
                .lookupMany(src.table("payments"), on("id", "order_id"), as("payments"))
                .writeTo(CATALOG.get("dst").table("orders_view"));
        String python = PipelineDsl.python(original);
        assertThat(python).contains(".lookup('src.customer', path='customer', relation=[['id', 'customer_id']])")
                .contains(".lookup('src.seller', relation=[['id', 'seller_id']])")
                .contains(".lookup('src.region', on=[['region_id', 'id'], ['country', 'country']], flatten='region_')")
                .contains(".lookup(rows_2, path='items', type='array', arrayKeys=['item_id'], relation=[['order_id', 'id']])")
                .startsWith("rows_1 = Flow('product')");
        Path script = dir.resolve("view.py");
        Files.writeString(script, python);
        assertThat(PipelineScripts.run(script, CATALOG).savedPipelines().get(0).pipeline()).isEqualTo(original);
    }

    @Test
    void whatPythonCannotSayIsACommentNotDropped() {
        String python = PipelineDsl.python(Pipeline.named("p").readFrom(new TableRef("src", "t"))
                .addField("seen", FieldValue.now()).writeTo(CATALOG.get("dst")));
        assertThat(python).contains("# add_field 'seen' = ").contains("no Python DSL form")
                .contains(".write_to('dst')").endsWith(".save()\n");
    }
}
