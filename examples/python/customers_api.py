# A data API over the table the demo-job pipeline (examples/json/demo-job.json) keeps fresh in PostgreSQL.
# Publish it with 'tapflow api publish examples/python/customers_api.py', then serve it with 'tapflow api serve'.
# changes_by('updated'): GET /api/customers/changes streams each changed row, found by the pipeline's 'updated' field.
Api('customers') \
    .read_from('demo-pg.customer_v1') \
    .fields('id', 'name', 'balance', 'updated') \
    .filterable('name', 'balance') \
    .sortable('balance') \
    .param('min_balance', field='balance', op='gte') \
    .changes_by('updated') \
    .publish()
