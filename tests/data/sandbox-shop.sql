-- Sample data for the sandbox: a small shop with enough rows to make a backup worth watching.
CREATE TABLE customers (
    id serial PRIMARY KEY,
    name text NOT NULL,
    email text UNIQUE NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE products (
    id serial PRIMARY KEY,
    sku text UNIQUE NOT NULL,
    title text NOT NULL,
    price_cents integer NOT NULL CHECK (price_cents >= 0)
);
CREATE TABLE orders (
    id serial PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers(id),
    placed_at timestamptz NOT NULL,
    status text NOT NULL
);
CREATE TABLE order_items (
    order_id integer NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    product_id integer NOT NULL REFERENCES products(id),
    quantity integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, product_id)
);
CREATE TABLE _prisma_migrations (id text PRIMARY KEY, applied_at timestamptz);

INSERT INTO customers (name, email, created_at)
SELECT 'Customer ' || g, 'customer' || g || '@example.com', now() - (g || ' minutes')::interval
FROM generate_series(1, 20000) g;
INSERT INTO products (sku, title, price_cents)
SELECT 'SKU-' || lpad(g::text, 5, '0'), 'Product ' || g, 100 + (g * 37) % 10000
FROM generate_series(1, 2000) g;
INSERT INTO orders (customer_id, placed_at, status)
SELECT 1 + (g * 7919) % 20000, now() - (g || ' seconds')::interval,
       (ARRAY['paid', 'shipped', 'delivered', 'refunded'])[1 + g % 4]
FROM generate_series(1, 60000) g;
INSERT INTO order_items (order_id, product_id, quantity)
SELECT o, 1 + (o * 31 + k * 101) % 2000, 1 + (o + k) % 5
FROM generate_series(1, 60000) o, generate_series(1, 3) k;
INSERT INTO _prisma_migrations VALUES ('20260101000000_init', now());
ANALYZE;
