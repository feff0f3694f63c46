package io.tapflow.dsl;

import static io.tapflow.dsl.Lookups.arrayKey;
import static io.tapflow.dsl.Lookups.as;
import static io.tapflow.dsl.Lookups.flatten;
import static io.tapflow.dsl.Lookups.on;
import static io.tapflow.dsl.Lookups.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LookupsTest {
    private final DataSource mysql = DataSource.of("mysql", "src").host("h").username("u").password("p").database("d");
    private final DataSource mongo = DataSource.of("mongodb", "dst").option("uri", "mongodb://h").database("d");

    private Pipeline ordersView() {
        return Pipeline.named("orders-view").readFrom(mysql.table("orders"))
                .exclude("internal")
                .lookup(mysql.table("customer"), on("customer_id", "id"), as("customer"))
                .lookup(mysql.table("region"), on("region_id", "id").and("country", "country"), flatten("region_"))
                .lookupMany(rows(mysql.table("order_items")).exclude("note")
                                .lookup(mysql.table("product"), on("product_id", "id"), as("product")),
                        on("id", "order_id"), as("items"), arrayKey("item_id"))
                .writeTo(mongo.table("orders_view"));
    }

    @Test
    void lookupsBecomeStepsWithTheirOwnStepsAndRoundTripThroughJson() {
        Pipeline p = ordersView();
        Step.Lookup items = (Step.Lookup) p.steps().get(3);
        assertThat(items).isEqualTo(new Step.Lookup("src", "order_items", List.of(new Step.JoinField("id", "order_id")),
                "items", true, List.of("item_id"), null, List.of(new Step.ExcludeFields(List.of("note")),
                new Step.Lookup("src", "product", List.of(new Step.JoinField("product_id", "id")), "product", false,
                        List.of(), null, List.of()))));
        assertThat(((Step.Lookup) p.steps().get(2)).on()).extracting(Step.JoinField::child).containsExactly("id", "country");
        String json = DefinitionJson.toJson(p);
        assertThat(json).contains("\"type\" : \"lookup\"", "\"flattenPrefix\" : \"region_\"", "\"many\" : true");
        assertThat(DefinitionJson.pipeline(json, "test")).isEqualTo(p);
    }

    @Test
    void validationNamesEveryBrokenLookupAndTheirDataSources() {
        Pipeline p = Pipeline.named("bad").readFrom(mysql.table("orders"))
                .withStep(new Step.Lookup("nowhere", "customer", List.of(), null, false, List.of("id"), null, List.of()))
                .withStep(new Step.Lookup("src", "items", List.of(new Step.JoinField("id", " ")), "items", true, List.of(),
                        "x_", List.of(new Step.Unwind("tags", "tags_index"))))
                .writeTo(mongo.table("v"));
        assertThatThrownBy(() -> PipelineValidator.validate(p, Map.of("src", mysql, "dst", mongo)))
                .hasMessageContaining("joins on no field")
                .hasMessageContaining("says neither where to embed (as) nor how to flatten")
                .hasMessageContaining("has an array key but embeds one row")
                .hasMessageContaining("both embeds as 'items' and flattens")
                .hasMessageContaining("flattens an array of rows")
                .hasMessageContaining("has no field of the looked-up row")
                .hasMessageContaining("unwind-tags step for its looked-up rows")
                .hasMessageContaining("lookup 'lookup-flatten-")
                .hasMessageContaining("'nowhere'");
    }

    @Test
    void aLookupAfterAnUnwindIsRefused() {
        Pipeline p = Pipeline.named("p").readFrom(mysql.table("orders")).unwind("tags")
                .lookup(mysql.table("customer"), on("customer_id", "id"), as("customer")).writeTo(mongo.table("v"));
        assertThatThrownBy(() -> PipelineValidator.validate(p, Map.of("src", mysql, "dst", mongo)))
                .hasMessageContaining("step 2 (lookup-customer) comes after an unwind");
    }

    @Test
    void aLookupReadsExactlyOneNamedTable() {
        assertThatThrownBy(() -> Pipeline.named("p").readFrom(mysql.table("orders"))
                .lookup(Pipeline.named("x").readFrom(mysql.table("a"), mysql.table("b")), on("a", "b"), as("c")))
                .hasMessageContaining("a lookup reads exactly one named table");
    }

    @Test
    void validLookupsUseTheirDataSources() {
        assertThat(PipelineValidator.validate(ordersView(), Map.of("src", mysql, "dst", mongo)).datasources())
                .containsExactly(mysql, mongo);
    }
}
