# TapFlow's union, written as its inventory tutorial writes it: each table gets its own js step (here marking where
# a row comes from), union() closes each branch, and the steps after the last union() run on every row. The two
# tables go into one MongoDB collection.
from tapflow.lib import *
from tapflow.cli.cli import init

init()

currentJs = '''
record.FROM = 'current';
return record;
'''

archiveJs = '''
record.FROM = 'archive';
record.item = record.item ? record.item.toUpperCase() : record.item;
return record;
'''

flow = Flow("orders_union")
flow.read_from("demo-mysql.orders").js(currentJs).union() \
    .read_from("demo-mysql.orders_archive").js(archiveJs).union()

flow.exclude("carrier", "note")

flow.write_to("demo-mongo.orders_all", pk=["id"])
flow.save()
flow.start()
