# Orders as documents: each order embeds its customer (an object) and its items (an array ordered by order_item_id),
# each item embeds its product. TapFlow's lookup, written as TapFlow's wide-table tutorial writes it; every document
# stays current as any of the four tables changes.
from tapflow.lib import *

orderFlow = Flow("orders_view")
orderFlow.read_from("demo-mysql.ecom_orders")
orderFlow.lookup("demo-mysql.ecom_customers", path="customer", type="object",
                 relation=[["customer_id", "customer_id"]])
orderFlow.lookup("demo-mysql.ecom_order_items", path="items", type="array", arrayKeys=["order_item_id"],
                 relation=[["order_id", "order_id"]])
orderFlow.lookup("demo-mysql.ecom_products", path="items.product", type="object",
                 relation=[["items.product_id", "product_id"]])
orderFlow.write_to("demo-mongo.orders_view")
orderFlow.start()
