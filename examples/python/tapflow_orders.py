# A TapFlow script written the way TapFlow's README writes one: its imports, a chain with one method per line and
# no backslashes, a custom query, and a filter in TapFlow's condition language.
from tapflow.lib import *
from tapflow.cli.cli import init

init()

def pyfunc(record):
    if not record['order_status']:
        record['order_status'] = 'invalid'
    if record['order_status'] == 'SendError':
        record['order_status'] = 'undeliverable'
    return record

myflow = Flow("orders_flow")
    .read_from("demo-mysql.ecom_orders", query="SELECT * FROM ecom_orders WHERE order_status <> 'canceled'")
    .exclude("order_delivered_carrier_date", "order_delivered_customer_date")
    .rename_fields({'order_purchase_timestamp': 'purchase_timestamp'})
    .py(pyfunc)
    .filter("purchase_timestamp is not null and customer_id != 'c0'")
    .write_to("demo-mongo.orders")
    .save()

myflow.start() # Start the flow
