# TapFlow's field types and argument order in add_field / add_fields, and write_to(..., pk=[...]) naming the target's
# key: customers with a balance, each a MongoDB document keyed by its name.
from tapflow.lib import *

Flow("customer_typed") \
    .read_from(Source('demo-mysql', table='customer')) \
    .rowFilter("record.balance != null", rowFilterType=RowFilterType.retain) \
    .add_field('balance_x2', 'BigDecimal', 'record.balance * 2') \
    .add_fields([['origin', 'String', "'mariadb'"], ['name_length', 'Long', 'record.name.length']]) \
    .write_to('demo-mongo.customer_typed', pk=['name']) \
    .start()
