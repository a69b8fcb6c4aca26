--
-- PostgreSQL database dump
--

\restrict VYY3ZtgPFqlNK7kvpsMcLn4sZufjF9q1ffV11iJxsgQGOhQ8y2FuvKF6KbDJ4jC

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: Sales; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA "Sales";


ALTER SCHEMA "Sales" OWNER TO postgres;

--
-- Name: données; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA "données";


ALTER SCHEMA "données" OWNER TO postgres;

--
-- Name: inventory; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA inventory;


ALTER SCHEMA inventory OWNER TO postgres;

--
-- Name: order_status; Type: TYPE; Schema: Sales; Owner: postgres
--

CREATE TYPE "Sales".order_status AS ENUM (
    'new',
    'paid',
    'shipped',
    'Cancelled'
);


ALTER TYPE "Sales".order_status OWNER TO postgres;

--
-- Name: positive_int; Type: DOMAIN; Schema: inventory; Owner: postgres
--

CREATE DOMAIN inventory.positive_int AS integer
	CONSTRAINT positive_int_check CHECK ((VALUE > 0));


ALTER DOMAIN inventory.positive_int OWNER TO postgres;

--
-- Name: Customer Total(integer); Type: FUNCTION; Schema: Sales; Owner: postgres
--

CREATE FUNCTION "Sales"."Customer Total"(cid integer) RETURNS bigint
    LANGUAGE sql STABLE
    AS $$ SELECT coalesce(sum(qty), 0)::bigint FROM "Sales"."Order Lines" WHERE "CustomerID" = cid $$;


ALTER FUNCTION "Sales"."Customer Total"(cid integer) OWNER TO postgres;

--
-- Name: log_change(); Type: FUNCTION; Schema: inventory; Owner: postgres
--

CREATE FUNCTION inventory.log_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO inventory.audit (what) VALUES (TG_TABLE_NAME || ' ' || TG_OP);
    RETURN NEW;
END $$;


ALTER FUNCTION inventory.log_change() OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: Customer; Type: TABLE; Schema: Sales; Owner: postgres
--

CREATE TABLE "Sales"."Customer" (
    "CustomerID" integer NOT NULL,
    "Full Name" text NOT NULL,
    email text,
    "créé le" timestamp with time zone DEFAULT '2024-01-01 00:00:00+00'::timestamp with time zone NOT NULL
);


ALTER TABLE "Sales"."Customer" OWNER TO postgres;

--
-- Name: TABLE "Customer"; Type: COMMENT; Schema: Sales; Owner: postgres
--

COMMENT ON TABLE "Sales"."Customer" IS 'Kunden — customers';


--
-- Name: Customer Summary; Type: VIEW; Schema: Sales; Owner: postgres
--

CREATE VIEW "Sales"."Customer Summary" AS
 SELECT c."CustomerID",
    c."Full Name",
    "Sales"."Customer Total"(c."CustomerID") AS total
   FROM "Sales"."Customer" c;


ALTER TABLE "Sales"."Customer Summary" OWNER TO postgres;

--
-- Name: Customer_CustomerID_seq; Type: SEQUENCE; Schema: Sales; Owner: postgres
--

CREATE SEQUENCE "Sales"."Customer_CustomerID_seq"
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE "Sales"."Customer_CustomerID_seq" OWNER TO postgres;

--
-- Name: Customer_CustomerID_seq; Type: SEQUENCE OWNED BY; Schema: Sales; Owner: postgres
--

ALTER SEQUENCE "Sales"."Customer_CustomerID_seq" OWNED BY "Sales"."Customer"."CustomerID";


--
-- Name: sku_seq; Type: SEQUENCE; Schema: inventory; Owner: postgres
--

CREATE SEQUENCE inventory.sku_seq
    START WITH 1000
    INCREMENT BY 7
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE inventory.sku_seq OWNER TO postgres;

--
-- Name: Order Lines; Type: TABLE; Schema: Sales; Owner: postgres
--

CREATE TABLE "Sales"."Order Lines" (
    id bigint NOT NULL,
    "CustomerID" integer NOT NULL,
    status "Sales".order_status DEFAULT 'new'::"Sales".order_status NOT NULL,
    qty inventory.positive_int NOT NULL,
    sku bigint DEFAULT nextval('inventory.sku_seq'::regclass) NOT NULL
);


ALTER TABLE "Sales"."Order Lines" OWNER TO postgres;

--
-- Name: Order Lines_id_seq; Type: SEQUENCE; Schema: Sales; Owner: postgres
--

CREATE SEQUENCE "Sales"."Order Lines_id_seq"
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE "Sales"."Order Lines_id_seq" OWNER TO postgres;

--
-- Name: Order Lines_id_seq; Type: SEQUENCE OWNED BY; Schema: Sales; Owner: postgres
--

ALTER SEQUENCE "Sales"."Order Lines_id_seq" OWNED BY "Sales"."Order Lines".id;


--
-- Name: über tabelle; Type: TABLE; Schema: données; Owner: postgres
--

CREATE TABLE "données"."über tabelle" (
    "schlüssel" text NOT NULL,
    "wert €" numeric(12,2)
);


ALTER TABLE "données"."über tabelle" OWNER TO postgres;

--
-- Name: audit; Type: TABLE; Schema: inventory; Owner: postgres
--

CREATE TABLE inventory.audit (
    id integer NOT NULL,
    what text NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE inventory.audit OWNER TO postgres;

--
-- Name: audit_id_seq; Type: SEQUENCE; Schema: inventory; Owner: postgres
--

CREATE SEQUENCE inventory.audit_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE inventory.audit_id_seq OWNER TO postgres;

--
-- Name: audit_id_seq; Type: SEQUENCE OWNED BY; Schema: inventory; Owner: postgres
--

ALTER SEQUENCE inventory.audit_id_seq OWNED BY inventory.audit.id;


--
-- Name: events; Type: TABLE; Schema: inventory; Owner: postgres
--

CREATE TABLE inventory.events (
    id bigint NOT NULL,
    happened date NOT NULL,
    payload jsonb
)
PARTITION BY RANGE (happened);


ALTER TABLE inventory.events OWNER TO postgres;

--
-- Name: events_2024; Type: TABLE; Schema: inventory; Owner: postgres
--

CREATE TABLE inventory.events_2024 (
    id bigint NOT NULL,
    happened date NOT NULL,
    payload jsonb
);


ALTER TABLE inventory.events_2024 OWNER TO postgres;

--
-- Name: events_2025; Type: TABLE; Schema: inventory; Owner: postgres
--

CREATE TABLE inventory.events_2025 (
    id bigint NOT NULL,
    happened date NOT NULL,
    payload jsonb
);


ALTER TABLE inventory.events_2025 OWNER TO postgres;

--
-- Name: events_id_seq; Type: SEQUENCE; Schema: inventory; Owner: postgres
--

ALTER TABLE inventory.events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME inventory.events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: status_counts; Type: MATERIALIZED VIEW; Schema: inventory; Owner: postgres
--

CREATE MATERIALIZED VIEW inventory.status_counts AS
 SELECT "Order Lines".status,
    count(*) AS n
   FROM "Sales"."Order Lines"
  GROUP BY "Order Lines".status
  WITH NO DATA;


ALTER TABLE inventory.status_counts OWNER TO postgres;

--
-- Name: documents; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.documents (
    id integer NOT NULL,
    title text,
    body oid
);


ALTER TABLE public.documents OWNER TO postgres;

--
-- Name: documents_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.documents_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.documents_id_seq OWNER TO postgres;

--
-- Name: documents_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.documents_id_seq OWNED BY public.documents.id;


--
-- Name: events_2024; Type: TABLE ATTACH; Schema: inventory; Owner: postgres
--

ALTER TABLE ONLY inventory.events ATTACH PARTITION inventory.events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');


--
-- Name: events_2025; Type: TABLE ATTACH; Schema: inventory; Owner: postgres
--

ALTER TABLE ONLY inventory.events ATTACH PARTITION inventory.events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');


--
-- Name: Customer CustomerID; Type: DEFAULT; Schema: Sales; Owner: postgres
--

ALTER TABLE ONLY "Sales"."Customer" ALTER COLUMN "CustomerID" SET DEFAULT nextval('"Sales"."Customer_CustomerID_seq"'::regclass);


--
-- Name: Order Lines id; Type: DEFAULT; Schema: Sales; Owner: postgres
--

ALTER TABLE ONLY "Sales"."Order Lines" ALTER COLUMN id SET DEFAULT nextval('"Sales"."Order Lines_id_seq"'::regclass);


--
-- Name: audit id; Type: DEFAULT; Schema: inventory; Owner: postgres
--

ALTER TABLE ONLY inventory.audit ALTER COLUMN id SET DEFAULT nextval('inventory.audit_id_seq'::regclass);


--
-- Name: documents id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.documents ALTER COLUMN id SET DEFAULT nextval('public.documents_id_seq'::regclass);


--
-- Name: Customer Customer_email_key; Type: CONSTRAINT; Schema: Sales; Owner: postgres
--

ALTER TABLE ONLY "Sales"."Customer"
    ADD CONSTRAINT "Customer_email_key" UNIQUE (email);


--
-- Name: Customer Customer_pkey; Type: CONSTRAINT; Schema: Sales; Owner: postgres
--

ALTER TABLE ONLY "Sales"."Customer"
    ADD CONSTRAINT "Customer_pkey" PRIMARY KEY ("CustomerID");


--
-- Name: Order Lines Order Lines_pkey; Type: CONSTRAINT; Schema: Sales; Owner: postgres
--

ALTER TABLE ONLY "Sales"."Order Lines"
    ADD CONSTRAINT "Order Lines_pkey" PRIMARY KEY (id);


--
-- Name: über tabelle über tabelle_pkey; Type: CONSTRAINT; Schema: données; Owner: postgres
--

ALTER TABLE ONLY "données"."über tabelle"
    ADD CONSTRAINT "über tabelle_pkey" PRIMARY KEY ("schlüssel");


--
-- Name: audit audit_pkey; Type: CONSTRAINT; Schema: inventory; Owner: postgres
--

ALTER TABLE ONLY inventory.audit
    ADD CONSTRAINT audit_pkey PRIMARY KEY (id);


--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: inventory; Owner: postgres
--

ALTER TABLE ONLY inventory.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id, happened);


--
-- Name: events_2024 events_2024_pkey; Type: CONSTRAINT; Schema: inventory; Owner: postgres
--

ALTER TABLE ONLY inventory.events_2024
    ADD CONSTRAINT events_2024_pkey PRIMARY KEY (id, happened);


--
-- Name: events_2025 events_2025_pkey; Type: CONSTRAINT; Schema: inventory; Owner: postgres
--

ALTER TABLE ONLY inventory.events_2025
    ADD CONSTRAINT events_2025_pkey PRIMARY KEY (id, happened);


--
-- Name: documents documents_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.documents
    ADD CONSTRAINT documents_pkey PRIMARY KEY (id);


--
-- Name: Order Lines_customer_idx; Type: INDEX; Schema: Sales; Owner: postgres
--

CREATE INDEX "Order Lines_customer_idx" ON "Sales"."Order Lines" USING btree ("CustomerID");


--
-- Name: events_2024_pkey; Type: INDEX ATTACH; Schema: inventory; Owner: postgres
--

ALTER INDEX inventory.events_pkey ATTACH PARTITION inventory.events_2024_pkey;


--
-- Name: events_2025_pkey; Type: INDEX ATTACH; Schema: inventory; Owner: postgres
--

ALTER INDEX inventory.events_pkey ATTACH PARTITION inventory.events_2025_pkey;


--
-- Name: Order Lines Order Lines audit; Type: TRIGGER; Schema: Sales; Owner: postgres
--

CREATE TRIGGER "Order Lines audit" AFTER INSERT OR UPDATE ON "Sales"."Order Lines" FOR EACH ROW EXECUTE FUNCTION inventory.log_change();


--
-- Name: Order Lines Order Lines_CustomerID_fkey; Type: FK CONSTRAINT; Schema: Sales; Owner: postgres
--

ALTER TABLE ONLY "Sales"."Order Lines"
    ADD CONSTRAINT "Order Lines_CustomerID_fkey" FOREIGN KEY ("CustomerID") REFERENCES "Sales"."Customer"("CustomerID");


--
-- Name: status_counts; Type: MATERIALIZED VIEW DATA; Schema: inventory; Owner: postgres
--

REFRESH MATERIALIZED VIEW inventory.status_counts;


--
-- PostgreSQL database dump complete
--

\unrestrict VYY3ZtgPFqlNK7kvpsMcLn4sZufjF9q1ffV11iJxsgQGOhQ8y2FuvKF6KbDJ4jC

