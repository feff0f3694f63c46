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

-- The child tables of the lookup examples (orders_view.py, OrdersView.java, orders-wide.json): each order's customer,
-- its items, and each item's product.
CREATE TABLE ecom_customers (customer_id VARCHAR(32) PRIMARY KEY, customer_city VARCHAR(32), customer_state CHAR(2));
INSERT INTO ecom_customers VALUES ('c1', 'Lisbon', 'LX'), ('c2', 'Porto', 'PO'), ('c3', 'Braga', 'BR'), ('c4', 'Faro', 'FA');

CREATE TABLE ecom_products (product_id VARCHAR(32) PRIMARY KEY, product_category VARCHAR(32));
INSERT INTO ecom_products VALUES ('p1', 'books'), ('p2', 'lamps');

CREATE TABLE ecom_order_items (order_id VARCHAR(32) NOT NULL, order_item_id INT NOT NULL, product_id VARCHAR(32),
    price DECIMAL(10,2), PRIMARY KEY (order_id, order_item_id));
INSERT INTO ecom_order_items VALUES ('o1', 1, 'p1', 12.50), ('o1', 2, 'p2', 30.00), ('o2', 1, 'p1', 9.90);
