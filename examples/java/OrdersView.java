import static io.tapflow.dsl.Lookups.arrayKey;
import static io.tapflow.dsl.Lookups.as;
import static io.tapflow.dsl.Lookups.on;
import static io.tapflow.dsl.Lookups.rows;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;

/**
 * The README's lookup pipeline: each order of MariaDB embeds its customer and its items (each item its product),
 * written to MongoDB as one document per order and kept current as any of the four tables changes.
 */
public final class OrdersView {
    private OrdersView() {}

    /** The pipeline and its datasources, validated; every problem is reported at once. */
    public static JobSpec job(DataSource mysql, DataSource mongo) {
        Pipeline pipeline = Pipeline.named("orders-view")
                .readFrom(mysql.table("ecom_orders"))
                .lookup(mysql.table("ecom_customers"), on("customer_id", "customer_id"), as("customer"))
                .lookupMany(rows(mysql.table("ecom_order_items"))
                                .lookup(mysql.table("ecom_products"), on("product_id", "product_id"), as("product")),
                        on("order_id", "order_id"), as("items"), arrayKey("order_item_id"))
                .writeTo(mongo.table("orders_view"));
        return JobSpec.of(pipeline, mysql, mongo);
    }
}
