// A JavaScript pipeline script: MariaDB customers with a balance into PostgreSQL, names in capitals.
Flow('customers-js')
    .readFrom('demo-mysql.customer')
    .filter('record.balance != null')
    .js('record.name = record.name.toUpperCase(); return record;')
    .addField('origin', "'mariadb'", 'string')
    .writeTo('demo-pg.customer_js')
    .start();
