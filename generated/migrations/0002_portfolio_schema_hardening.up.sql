-- schemac migration 0002_portfolio_schema_hardening (up)
--
-- from schema 22a5a9301b0935e9a03cf77a095506ea
-- to schema   e7da31a70f2dafca306197708d021bd8
-- transaction: several (steps 7, 9 cannot run in a transaction block and run on their own; step 10 starts a new transaction after the steps before it have committed)
-- hazards: rewrite, access_exclusive, data_dependent, non_transactional
-- steps (in order):
--   1. drop unique constraint forecast_snapshots_idempotency_key_key on forecast_snapshots (safe)
--   2. (down only) build the index of unique constraint forecast_snapshots_idempotency_key_key on forecast_snapshots [non_transactional] (risky)
--   3. change type of column forecast_snapshots.version from integer to bigint [rewrite, access_exclusive] (risky)
--   4. change type of column reserve_allocations.version from integer to bigint [rewrite, access_exclusive] (risky)
--   5. change type of column investment_lots.version from integer to bigint [rewrite, access_exclusive] (risky)
--   6. add check constraint forecast_snapshots_idempotency_key_check on forecast_snapshots (safe)
--   7. build the index of unique constraint forecast_snapshots_fund_id_idempotency_key_key on forecast_snapshots [data_dependent, non_transactional] (risky)
--   8. add unique constraint forecast_snapshots_fund_id_idempotency_key_key on forecast_snapshots (safe)
--   9. create index forecast_snapshots_cursor_idx on forecast_snapshots [non_transactional] (risky)
--   10. validate check constraint forecast_snapshots_idempotency_key_check on forecast_snapshots [data_dependent] (risky)
-- Written by schemac compile; do not edit (schemac.sum records its checksum).

SET lock_timeout = '5s';
SET statement_timeout = '30min';
SET search_path = public;

-- pre-flight checks: each fails before anything changes
DO $schemac$
#variable_conflict use_column
DECLARE sc_n bigint; sc_ex text;
BEGIN
  SELECT * INTO sc_n, sc_ex FROM (SELECT count(*), min((idempotency_key)::text) FROM public.forecast_snapshots AS forecast_snapshots WHERE NOT ((length(idempotency_key) >= 1) and (length(idempotency_key) <= 128))) AS q;
  IF sc_n > 0 THEN
    RAISE EXCEPTION USING MESSAGE = 'schemac pre-flight: ' || sc_n || ' rows of public.forecast_snapshots fail CHECK ((length(idempotency_key) >= 1) and (length(idempotency_key) <= 128))'
      || coalesce(' (for example ' || sc_ex || ')', '') || '; the check constraint forecast_snapshots_idempotency_key_check cannot be added';
  END IF;
END
$schemac$;
DO $schemac$
#variable_conflict use_column
DECLARE sc_n bigint; sc_ex text;
BEGIN
  SELECT * INTO sc_n, sc_ex FROM (SELECT count(*), min(k) FROM (SELECT ROW(fund_id, idempotency_key)::text AS k FROM public.forecast_snapshots AS r WHERE fund_id IS NOT NULL AND idempotency_key IS NOT NULL GROUP BY fund_id, idempotency_key HAVING count(*) > 1) AS d) AS q;
  IF sc_n > 0 THEN
    RAISE EXCEPTION USING MESSAGE = 'schemac pre-flight: ' || sc_n || ' duplicate values of (fund_id, idempotency_key) in public.forecast_snapshots'
      || coalesce(' (for example ' || sc_ex || ')', '') || '; the unique constraint forecast_snapshots_fund_id_idempotency_key_key cannot be added';
  END IF;
END
$schemac$;

BEGIN;

-- step 1: drop unique constraint forecast_snapshots_idempotency_key_key on forecast_snapshots
ALTER TABLE public.forecast_snapshots DROP CONSTRAINT forecast_snapshots_idempotency_key_key;

-- step 2: (down only) build the index of unique constraint forecast_snapshots_idempotency_key_key on forecast_snapshots
-- nothing to do: the down builds the index of the key it adds back

-- step 3: change type of column forecast_snapshots.version from integer to bigint
ALTER TABLE public.forecast_snapshots ALTER COLUMN version TYPE bigint;

-- step 4: change type of column reserve_allocations.version from integer to bigint
ALTER TABLE public.reserve_allocations ALTER COLUMN version TYPE bigint;

-- step 5: change type of column investment_lots.version from integer to bigint
ALTER TABLE public.investment_lots ALTER COLUMN version TYPE bigint;

-- step 6: add check constraint forecast_snapshots_idempotency_key_check on forecast_snapshots
ALTER TABLE public.forecast_snapshots ADD CONSTRAINT forecast_snapshots_idempotency_key_check CHECK (((length(idempotency_key) >= 1) and (length(idempotency_key) <= 128))) NOT VALID;

COMMIT;

-- step 7: build the index of unique constraint forecast_snapshots_fund_id_idempotency_key_key on forecast_snapshots (outside a transaction)
CREATE UNIQUE INDEX CONCURRENTLY forecast_snapshots_fund_id_idempotency_key_key ON public.forecast_snapshots (fund_id, idempotency_key);

BEGIN;

-- step 8: add unique constraint forecast_snapshots_fund_id_idempotency_key_key on forecast_snapshots
ALTER TABLE public.forecast_snapshots ADD CONSTRAINT forecast_snapshots_fund_id_idempotency_key_key UNIQUE USING INDEX forecast_snapshots_fund_id_idempotency_key_key;

COMMIT;

-- step 9: create index forecast_snapshots_cursor_idx on forecast_snapshots (outside a transaction)
CREATE INDEX CONCURRENTLY forecast_snapshots_cursor_idx ON public.forecast_snapshots (snapshot_time DESC, id DESC);

BEGIN;

-- step 10: validate check constraint forecast_snapshots_idempotency_key_check on forecast_snapshots (in a transaction of its own, after the steps before it have committed)
ALTER TABLE public.forecast_snapshots VALIDATE CONSTRAINT forecast_snapshots_idempotency_key_check;

COMMIT;
