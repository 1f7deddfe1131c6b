-- One of each kind of object the catalog reader manages, with most of
-- their options: for the catalog tests (tests/pg/test_catalog.c, which
-- check what the reader makes of each) and the pg_dump round trip of
-- schemac's own schemas (peer_cases --builtin).  Loaded with psql and with
-- a single PQexec, so it holds no psql commands.

CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'money';
CREATE EXTENSION pg_trgm;
CREATE TYPE status AS ENUM ('active', 'it''s', 'back\slash');
CREATE TYPE billing.state AS ENUM ('open', 'paid');
CREATE TABLE funds (
  id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 5) PRIMARY KEY,
  code serial,
  small smallserial,
  big bigserial UNIQUE,
  name varchar(200) COLLATE "C" NOT NULL,
  status status NOT NULL DEFAULT 'active',
  st billing.state[],
  amount numeric(12,2) CHECK (amount > 0),
  made timestamptz DEFAULT now(),
  doubled numeric GENERATED ALWAYS AS (amount * 2) STORED,
  CONSTRAINT funds_name_uq UNIQUE NULLS NOT DISTINCT (name) INCLUDE (status)
);
COMMENT ON TABLE funds IS 'Fund master data';
COMMENT ON COLUMN funds.name IS 'display name; may hold ''quotes''';
CREATE TABLE lots (
  id int PRIMARY KEY,
  fund_id bigint,
  other bigint
);
ALTER TABLE lots ADD FOREIGN KEY (fund_id) REFERENCES funds (id) ON DELETE CASCADE
  ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE lots ADD CONSTRAINT lots_other_fkey FOREIGN KEY (other) REFERENCES funds (big)
  NOT VALID;
ALTER TABLE lots ADD CONSTRAINT positive CHECK (id > 0) NOT VALID;
CREATE INDEX lots_expr ON lots (lower(fund_id::text) text_pattern_ops DESC NULLS LAST,
  (id + 1), other) INCLUDE (fund_id) WHERE other > 1;
CREATE UNIQUE INDEX ON lots USING btree (other NULLS FIRST);
CREATE INDEX ON funds USING gin (name gin_trgm_ops);
CREATE INDEX ON funds (name COLLATE "POSIX");
CREATE SEQUENCE billing.numbers AS integer INCREMENT BY 10 START WITH 1000 CACHE 5;
CREATE SEQUENCE renamed_seq OWNED BY lots.other;
CREATE TABLE counters (id int NOT NULL DEFAULT nextval('billing.numbers'));
