# TapFlow's Source and Sink objects with table lists, its filter types and its include_cdc(), as TapFlow's data-flow
# API reference writes them: customer and orders, each into the PostgreSQL table of its name, without row 1.
from tapflow.lib import *

source = Source('demo-mysql', table=['customer', 'orders'])
source.enableDDL()

sink = Sink('demo-pg', table=['customer', 'orders'])
sink.keep_data()

flow = Flow("tables_copy")
    .read_from(source)
    .filter("id = 1", filterType=FilterType.delete)
    .rowFilter("record.id < 1000", rowFilterType=RowFilterType.retain)
    .add_field('copied_by', 'String', "'tapflow'")
    .write_to(sink)
    .include_cdc()
    .save()

flow.start()
