package io.tapflow.flink.verify;

import static io.tapflow.dsl.Lookups.arrayKey;
import static io.tapflow.dsl.Lookups.as;
import static io.tapflow.dsl.Lookups.on;
import static io.tapflow.dsl.Lookups.rows;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.Pipeline;
import org.junit.jupiter.api.Test;

/** What tapflow verify reproduces of a lookup pipeline, and what it refuses by name. */
class LookupRowsTest {
    private static final DataSource SHOP = DataSource.of("mysql", "shop");
    private static final DataSource MONGO = DataSource.of("mongodb", "docs");

    @Test
    void lookupsWithoutStepsOfTheirOwnAreVerified() {
        Pipeline p = Pipeline.named("v").readFrom(SHOP.table("orders"))
                .lookup(SHOP.table("customer"), on("customer_id", "id"), as("customer")).writeTo(MONGO.table("v"));
        assertThatCode(() -> LookupRows.requireSupported(p)).doesNotThrowAnyException();
    }

    @Test
    void aNestedLookupIsRefusedNamingIt() {
        Pipeline p = Pipeline.named("v").readFrom(SHOP.table("orders"))
                .lookupMany(rows(SHOP.table("order_items")).lookup(SHOP.table("product"), on("product_id", "id"), as("product")),
                        on("id", "order_id"), as("items"), arrayKey("item_id"))
                .writeTo(MONGO.table("v"));
        assertThatThrownBy(() -> LookupRows.requireSupported(p)).hasMessage("tapflow verify: pipeline 'v': lookup "
                + "'lookup-items' has steps of its own (lookup: a nested lookup), which tapflow verify does not reproduce "
                + "yet; it verifies lookups without steps of their own (object, array, flatten)");
    }
}
