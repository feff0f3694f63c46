# A custom query that groups: no change stream can keep its result up to date, so tapflow reads the result once
# (a snapshot-only read) and the job finishes when every row is written. key() names the result's key; planning
# checks that it is unique and never NULL before anything is created.
from tapflow.lib import *

Flow("customer_orders") \
    .read_from("demo-mysql.customer_orders", query="""
        SELECT customer_id, COUNT(*) AS orders, MIN(order_purchase_timestamp) AS first_purchase
        FROM ecom_orders WHERE order_status <> 'canceled'
        GROUP BY customer_id ORDER BY customer_id""") \
    .write_to("demo-pg.customer_orders") \
    .key(["customer_id"]) \
    .start()
