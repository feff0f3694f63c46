package io.tapflow.udf.script;

import static io.tapflow.dsl.Lookups.arrayKey;
import static io.tapflow.dsl.Lookups.as;
import static io.tapflow.dsl.Lookups.flatten;
import static io.tapflow.dsl.Lookups.on;
import static io.tapflow.dsl.Lookups.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.PipelineValidator;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.TableRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Flow.lookup} in Python and JavaScript scripts: TapFlow's signature, tapflow's words, and clear refusals. */
class LookupScriptsTest {
    static final Map<String, DataSource> CATALOG = Map.of(
            "demo-mysql", new DataSource("mysql", "demo-mysql", Map.of("host", "h", "username", "u", "database", "demo")),
            "demo-mongo", new DataSource("mongodb", "demo-mongo", Map.of("uri", "mongodb://h:27017", "database", "demo")),
            "demo-pg", new DataSource("postgres", "demo-pg", Map.of("host", "h", "username", "u", "database", "demo")));
    private static final Path EXAMPLES = Path.of("..", "examples");
    private final DataSource mysql = CATALOG.get("demo-mysql");

    @TempDir
    Path dir;

    /** The pipeline of examples/python/orders_view.py, in the Java chain's words. */
    private Pipeline ordersView(String name) {
        return Pipeline.named(name).readFrom(mysql.table("ecom_orders"))
                .lookup(mysql.table("ecom_customers"), on("customer_id", "customer_id"), as("customer"))
                .lookupMany(rows(mysql.table("ecom_order_items"))
                                .lookup(mysql.table("ecom_products"), on("product_id", "product_id"), as("product")),
                        on("order_id", "order_id"), as("items"), arrayKey("order_item_id"))
                .writeTo(CATALOG.get("demo-mongo").table("orders_view"));
    }

    /** TapFlow's wide-table tutorial: object and array paths, and a dotted path that nests into the array's rows. */
    @Test
    void theTapflowStyleExampleIsTheJavaChainsPipeline() {
        ScriptResult result = PipelineScripts.run(EXAMPLES.resolve("python/orders_view.py"), CATALOG);
        assertThat(result.started().get(0).pipeline()).isEqualTo(ordersView("orders_view"));
    }

    /**
     * TapFlow's wide-table tutorial writes a nested lookup's relation with the enclosing rows' field first
     * ({@code relation=[["order_items.product_id", "product_id"]]}), the other way round from its top-level
     * [child_field, parent_field]: the field written with the enclosing path is the enclosing rows' either way.
     * TapFlow's {@code enable_join_value_change()} changes nothing: a lookup always follows join key changes.
     */
    @Test
    void aNestedRelationNamesTheEnclosingRowsFieldByItsPathOnEitherSide() throws Exception {
        String tutorial = """
                orderFlow = Flow("Order_SingleView_Sync")
                orderFlow.enable_join_value_change()
                orderFlow.read_from("demo-mysql.ecom_orders")
                orderFlow.lookup("demo-mysql.ecom_order_items", path="order_items", type="array", relation=[["order_id", "order_id"]])
                orderFlow.lookup("demo-mysql.ecom_products", path="order_items.product", type="object",
                                 relation=[[%s]])
                orderFlow.lookup("demo-mysql.ecom_sellers", path="order_items.seller", type="object",
                                 relation=[[%s]])
                orderFlow.write_to("demo-mongo.orderSingleView")
                orderFlow.save()
                """;
        Pipeline expected = Pipeline.named("Order_SingleView_Sync").readFrom(mysql.table("ecom_orders"))
                .lookupMany(rows(mysql.table("ecom_order_items"))
                                .lookup(mysql.table("ecom_products"), on("product_id", "product_id"), as("product"))
                                .lookup(mysql.table("ecom_sellers"), on("seller_id", "seller_id"), as("seller")),
                        on("order_id", "order_id"), as("order_items"), arrayKey())
                .writeTo(CATALOG.get("demo-mongo").table("orderSingleView"));
        assertThat(flow(tutorial.formatted("\"order_items.product_id\", \"product_id\"", "\"order_items.seller_id\", \"seller_id\"")))
                .as("as TapFlow's tutorial writes it").isEqualTo(expected);
        assertThat(flow(tutorial.formatted("\"product_id\", \"order_items.product_id\"", "\"seller_id\", \"seller_id\"")))
                .as("[child_field, parent_field]").isEqualTo(expected);
    }

    /** The README's Lookups section shows the three examples as their files are. */
    @Test
    void theReadmeShowsTheExamplesAsTheyAre() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertThat(readme).contains("```python\n" + Files.readString(EXAMPLES.resolve("python/orders_view.py")) + "```\n")
                .contains("```json\n" + Files.readString(EXAMPLES.resolve("json/orders-wide.json")) + "```\n");
        List<String> java = Files.readAllLines(EXAMPLES.resolve("java/OrdersView.java"));
        int from = java.indexOf(java.stream().filter(l -> l.contains("Pipeline pipeline =")).findFirst().orElseThrow());
        int to = java.indexOf(java.stream().filter(l -> l.contains(".writeTo(")).findFirst().orElseThrow());
        String chain = String.join("\n", java.subList(from, to + 1).stream().map(l -> l.substring(8)).toList());
        assertThat(readme).contains("```java\n" + chain + "\n```\n");
    }

    @Test
    void theJsonExampleRoundTripsAndValidates() throws Exception {
        Path file = EXAMPLES.resolve("json/orders-wide.json");
        Pipeline p = DefinitionJson.pipeline(Files.readString(file), file.toString());
        assertThat(p).isEqualTo(Pipeline.named("orders-wide").readFrom(mysql.table("ecom_orders"))
                .lookup(mysql.table("ecom_customers"), on("customer_id", "customer_id"), flatten("customer_"))
                .lookupMany(mysql.table("ecom_order_items"), on("order_id", "order_id"), as("items"), arrayKey("order_item_id"))
                .writeTo(new TableRef("demo-pg", "orders_wide")));
        assertThat(DefinitionJson.pipeline(DefinitionJson.toJson(p), "again")).isEqualTo(p);
        assertThat(PipelineValidator.validate(p, CATALOG).datasources()).extracting(DataSource::name)
                .containsExactlyInAnyOrder("demo-mysql", "demo-pg");
    }

    /** TapFlow's data-flow reference spells them embed_path, embed_type and includes; an empty path merges into the row. */
    @Test
    void tapflowsReferenceNamesAndItsChildRowKeywords() throws Exception {
        Pipeline p = flow("""
                def tidy(record):
                    return record
                Flow('f').read_from('demo-mysql.ecom_orders') \\
                    .lookup('demo-mysql.order_payments', relation=[['order_id', 'order_id']], embed_path='payments',
                            embed_type='array', includes='order_id, payment_value') \\
                    .lookup('demo-mysql.ecom_customers', relation=[['customer_id', 'customer_id']],
                            filter="customer_state = 'LX'", rename={'customer_city': 'city'}, exclude=['customer_state'],
                            js='return record;', py=tidy) \\
                    .lookup('demo-mysql.ecom_sellers', 'seller', 'object', [], [['id', 'seller_id']],
                            query='SELECT id, name FROM ecom_sellers WHERE active = 1') \\
                    .lookup(source='demo-mysql.ecom_regions', relation=[['code', 'region'], ['country', 'country']], type=dict) \\
                    .write_to('demo-mongo.v').save()
                """);
        assertThat(p.steps().get(0)).isEqualTo(new Step.Lookup("demo-mysql", "order_payments",
                List.of(new Step.JoinField("order_id", "order_id")), "payments", true, List.of(), null,
                List.of(new Step.IncludeFields(List.of("order_id", "payment_value")))));
        Step.Lookup customers = (Step.Lookup) p.steps().get(1);
        assertThat(customers.flattenPrefix()).isEqualTo("");
        assertThat(customers.steps()).hasSize(5);
        assertThat(customers.steps().subList(0, 4)).containsExactly(new Step.Filter(TapflowConditions.javaScript("customer_state = 'LX'", "x"), true),
                new Step.RenameFields(Map.of("customer_city", "city")), new Step.ExcludeFields(List.of("customer_state")),
                new Step.JsUdf("return record;"));
        assertThat(customers.steps().get(4)).isInstanceOfSatisfying(Step.PyUdf.class, py -> assertThat(py.function()).isEqualTo("tidy"));
        Step.Lookup sellers = (Step.Lookup) p.steps().get(2);
        assertThat(sellers.as()).isEqualTo("seller");
        assertThat(sellers.on()).containsExactly(new Step.JoinField("seller_id", "id"));
        assertThat(sellers.steps()).hasSize(2).element(1).isEqualTo(new Step.IncludeFields(List.of("id", "name")));
        assertThat(((Step.Lookup) p.steps().get(3)).on()).containsExactly(new Step.JoinField("region", "code"),
                new Step.JoinField("country", "country"));
    }

    /** tapflow's own words, and a Flow as the source: the looked-up rows' own steps and lookups. */
    @Test
    void tapflowWordsAndAFlowAsTheSource() throws Exception {
        Pipeline p = flow("""
                items = Flow('items').read_from('demo-mysql.ecom_order_items').exclude('price') \\
                    .lookup('demo-mysql.ecom_products', on=['product_id', 'product_id'], as_='product')
                Flow('f').read_from('demo-mysql.ecom_orders') \\
                    .lookup('demo-mysql.ecom_customers', on=['customer_id', 'customer_id'], flatten='customer_') \\
                    .lookup_many(items, on=[['order_id', 'order_id']], as_='items', array_key=['order_item_id']) \\
                    .write_to('demo-mongo.v').save()
                """);
        assertThat(p).isEqualTo(Pipeline.named("f").readFrom(mysql.table("ecom_orders"))
                .lookup(mysql.table("ecom_customers"), on("customer_id", "customer_id"), flatten("customer_"))
                .lookupMany(rows(mysql.table("ecom_order_items")).exclude("price")
                                .lookup(mysql.table("ecom_products"), on("product_id", "product_id"), as("product")),
                        on("order_id", "order_id"), as("items"), arrayKey("order_item_id"))
                .writeTo(CATALOG.get("demo-mongo").table("v")));
    }

    @Test
    void javaScriptTakesBothSpellings() throws Exception {
        Path file = dir.resolve("v.js");
        Files.writeString(file, """
                const items = Flow('items').readFrom('demo-mysql.ecom_order_items')
                    .lookup('demo-mysql.ecom_products', {on: ['product_id', 'product_id'], as: 'product'});
                Flow('orders_view').readFrom('demo-mysql.ecom_orders')
                    .lookup('demo-mysql.ecom_customers', {path: 'customer', relation: [['customer_id', 'customer_id']]})
                    .lookupMany(items, {on: ['order_id', 'order_id'], as: 'items', array_key: ['order_item_id']})
                    .writeTo('demo-mongo.orders_view').start();
                """);
        assertThat(PipelineScripts.run(file, CATALOG).started().get(0).pipeline()).isEqualTo(ordersView("orders_view"));
    }

    @Test
    void whatALookupCannotSayIsRefusedNamingTheArgument() {
        String base = "f = Flow('f').read_from('demo-mysql.ecom_orders')\n";
        assertThatThrownBy(() -> flow(base + "f.lookup('demo-mysql.c', path='c')\n"))
                .hasMessage("l.py:2: lookup() needs relation=[[child_field, parent_field], ...]: the fields of the looked-up "
                        + "table and of the row that must be equal");
        assertThatThrownBy(() -> flow(base + "f.lookup('demo-mysql.i', type='array', relation=[['a', 'b']])\n"))
                .hasMessage("l.py:2: lookup(type='array') needs a path: the field the array of looked-up rows becomes");
        assertThatThrownBy(() -> flow(base + "f.lookup('demo-mysql.i', path='c', arrayKeys=['id'], relation=[['a', 'b']])\n"))
                .hasMessage("l.py:2: lookup(arrayKeys=...) orders the elements of an array; it needs type='array'");
        assertThatThrownBy(() -> flow(base + "f.lookup('demo-mysql.i', path='c', type='set', relation=[['a', 'b']])\n"))
                .hasMessageStartingWith("l.py:2: lookup(type='set') is not a type; use 'object'");
        assertThatThrownBy(() -> flow(base + "f.lookup('demo-mysql.i', path='c', relation=[['a', 'b']], mapper='x')\n"))
                .hasMessageStartingWith("l.py:2: lookup(mapper=...) is not supported");
        assertThatThrownBy(() -> flow(base + "f.lookup('demo-mysql.i', path='c', relation=[['a', 'b']], cache=True)\n"))
                .hasMessageContaining("lookup() has no argument 'cache'");
        assertThatThrownBy(() -> flow(base + "f.lookup('demo-mysql.p', path='items.product', relation=[['id', 'items.pid']])\n"))
                .hasMessage("l.py:2: lookup(path='items.product'): a dotted path embeds into the rows of an earlier lookup at "
                        + "'items', and there is none; look up 'items' first");
        assertThatThrownBy(() -> flow(base + "f.lookup('demo-mysql.p', path='p', relation=[['id', 'x.pid']])\n"))
                .hasMessageContaining("parent field 'x.pid' is a path");
        assertThatThrownBy(() -> flow(base + "f.lookup('demo-mysql.p', path='p', on=['a', 'b'])\n"))
                .hasMessage("l.py:2: lookup(): give TapFlow's path/type/relation or tapflow's on/as_/flatten, not both");
        assertThatThrownBy(() -> flow(base + "f.lookup('demo-mysql.p', path='p', relation=[['a', 'b']], "
                + "query='SELECT a, count(*) FROM p GROUP BY a')\n"))
                .hasMessageStartingWith("l.py:2: lookup(query=...): a lookup follows its table's changes");
        assertThatThrownBy(() -> flow(base + "f.lookup(Flow('g').read_from('demo-mysql.a').write_to('demo-pg.b'), "
                + "on=['a', 'b'], as_='c')\n"))
                .hasMessageContaining("the Flow 'g' writes to a target");
        assertThatThrownBy(() -> flow(base + "f.lookup('demo-mysql.c', on=['a', 'b'])\n"))
                .hasMessageContaining("give as_='field' (embed) or flatten='prefix_' (add the fields), one of them");
    }

    private Pipeline flow(String script) throws Exception {
        Path file = dir.resolve("l.py");
        Files.writeString(file, script);
        ScriptResult result = PipelineScripts.run(file, CATALOG);
        return result.savedPipelines().get(0).pipeline();
    }
}
