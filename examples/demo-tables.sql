-- The MariaDB tables the examples read (database "demo"); ExamplesITCase runs this file before each example.
CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(32) NOT NULL, balance DECIMAL(10,2));
INSERT INTO customer VALUES (1, 'Ada', 10.50), (2, 'Grace', NULL), (3, 'Linus', 7.00);

CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(32), amount DECIMAL(10,2), status CHAR(1), carrier VARCHAR(32),
    purchase_ts DATETIME, code VARCHAR(8), note VARCHAR(64));
INSERT INTO orders VALUES (1, 'pen', 5.00, 'N', 'dhl', '2024-01-02 10:00:00', '17', 'a'),
    (2, 'book', 25.50, 'P', 'ups', '2024-01-03 11:00:00', '42', 'b');

CREATE TABLE ecom_orders (order_id VARCHAR(32) PRIMARY KEY, customer_id VARCHAR(32), order_status VARCHAR(20),
    order_purchase_timestamp DATETIME, order_delivered_carrier_date DATETIME, order_delivered_customer_date DATETIME);
INSERT INTO ecom_orders VALUES ('o1', 'c1', 'delivered', '2024-01-02 10:00:00', '2024-01-03 09:00:00', '2024-01-05 12:00:00'),
    ('o2', 'c2', '', '2024-01-05 11:30:00', NULL, NULL),
    ('o3', 'c1', 'canceled', '2024-02-01 08:15:00', NULL, NULL),
    ('o4', 'c4', 'SendError', '2024-02-03 09:00:00', NULL, NULL),
    ('o5', 'c3', 'shipped', NULL, NULL, NULL),
    ('o6', 'c0', 'delivered', '2024-02-04 10:00:00', NULL, NULL);
