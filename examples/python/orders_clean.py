# The README's "Transforms" pipeline as a script: MariaDB orders into PostgreSQL (table ods_orders), cleaned on the way.
def shout(record):
    record['status'] = record['status'].upper()
    return record

# A Python function as a filter: the rows it returns a true value for go on.
def has_item(record):
    return record['item'] is not None

Flow('orders-clean') \
    .read_from('demo-mysql.orders') \
    .filter('record.amount > 10') \
    .filter(has_item) \
    .exclude('carrier') \
    .rename_fields({'purchase_ts': 'purchased'}) \
    .change_type('code', 'integer') \
    .value_map('status', {'N': 'new', 'P': 'paid'}) \
    .add_field('amount_x2', 'record.amount * 2', 'decimal') \
    .js("record.note = record.note + '|' + op;\nreturn record;") \
    .py(shout) \
    .rename_tables('ods_', '') \
    .write_to('demo-pg') \
    .start()
