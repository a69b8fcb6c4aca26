-- A schema that exercises what a restore must carry over exactly: quoted and mixed-case identifiers, spaces and
-- unicode in names, several schemas, enums, domains, sequences, views, a materialized view, functions, triggers,
-- a partitioned table, large objects and foreign keys.
CREATE SCHEMA "Sales";
CREATE SCHEMA inventory;
CREATE SCHEMA "données";

CREATE TYPE "Sales".order_status AS ENUM ('new', 'paid', 'shipped', 'Cancelled');
CREATE DOMAIN inventory.positive_int AS integer CHECK (VALUE > 0);
CREATE SEQUENCE inventory.sku_seq START 1000 INCREMENT 7;

CREATE TABLE "Sales"."Customer" (
    "CustomerID" serial PRIMARY KEY,
    "Full Name" text NOT NULL,
    email text UNIQUE,
    "créé le" timestamptz NOT NULL DEFAULT '2024-01-01 00:00:00+00'
);
CREATE TABLE "Sales"."Order Lines" (
    id bigserial PRIMARY KEY,
    "CustomerID" integer NOT NULL REFERENCES "Sales"."Customer" ("CustomerID"),
    status "Sales".order_status NOT NULL DEFAULT 'new',
    qty inventory.positive_int NOT NULL,
    sku bigint NOT NULL DEFAULT nextval('inventory.sku_seq')
);
CREATE INDEX "Order Lines_customer_idx" ON "Sales"."Order Lines" ("CustomerID");
CREATE TABLE "données"."über tabelle" ("schlüssel" text PRIMARY KEY, "wert €" numeric(12, 2));
CREATE TABLE inventory.events (
    id bigint GENERATED ALWAYS AS IDENTITY,
    happened date NOT NULL,
    payload jsonb,
    PRIMARY KEY (id, happened)
) PARTITION BY RANGE (happened);
CREATE TABLE inventory.events_2024 PARTITION OF inventory.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE inventory.events_2025 PARTITION OF inventory.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE inventory.audit (id serial PRIMARY KEY, what text NOT NULL, at timestamptz NOT NULL DEFAULT now());
CREATE TABLE public.documents (id serial PRIMARY KEY, title text, body oid);

CREATE FUNCTION "Sales"."Customer Total"(cid integer) RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT coalesce(sum(qty), 0)::bigint FROM "Sales"."Order Lines" WHERE "CustomerID" = cid $$;
CREATE FUNCTION inventory.log_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO inventory.audit (what) VALUES (TG_TABLE_NAME || ' ' || TG_OP);
    RETURN NEW;
END $$;
CREATE TRIGGER "Order Lines audit" AFTER INSERT OR UPDATE ON "Sales"."Order Lines"
    FOR EACH ROW EXECUTE FUNCTION inventory.log_change();

CREATE VIEW "Sales"."Customer Summary" AS
    SELECT c."CustomerID", c."Full Name", "Sales"."Customer Total"(c."CustomerID") AS total FROM "Sales"."Customer" c;
CREATE MATERIALIZED VIEW inventory.status_counts AS
    SELECT status, count(*) AS n FROM "Sales"."Order Lines" GROUP BY status;

INSERT INTO "Sales"."Customer" ("Full Name", email)
    SELECT 'Kunde ' || g || ' ✓', 'c' || g || '@example.test' FROM generate_series(1, 200) g;
INSERT INTO "Sales"."Order Lines" ("CustomerID", status, qty)
    SELECT 1 + (g % 200), (ARRAY['new', 'paid', 'shipped', 'Cancelled'])[1 + g % 4]::"Sales".order_status, 1 + g % 9
    FROM generate_series(1, 1500) g;
INSERT INTO "données"."über tabelle" VALUES ('α', 1.50), ('β', 2.25), ('Ω "quoted"', NULL);
INSERT INTO inventory.events (happened, payload)
    SELECT date '2024-06-01' + (g * 3), jsonb_build_object('n', g) FROM generate_series(1, 150) g;
INSERT INTO public.documents (title, body) VALUES ('one', lo_from_bytea(0, 'large object one')),
    ('two', lo_from_bytea(0, convert_to(repeat('Lifeboat ', 5000), 'UTF8')));
SELECT setval('inventory.sku_seq', 5000);
REFRESH MATERIALIZED VIEW inventory.status_counts;
COMMENT ON TABLE "Sales"."Customer" IS 'Kunden — customers';
