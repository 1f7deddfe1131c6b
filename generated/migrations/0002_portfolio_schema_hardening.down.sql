-- schemac migration 0002_portfolio_schema_hardening (down)
--
-- from schema e7da31a70f2dafca306197708d021bd8
-- to schema   22a5a9301b0935e9a03cf77a095506ea
-- transaction: several (steps 9, 2 cannot run in a transaction block and run on their own)
-- hazards: rewrite, access_exclusive, data_dependent, non_transactional
-- steps (reverse order):
--   10. undo: validate check constraint forecast_snapshots_idempotency_key_check on forecast_snapshots [data_dependent] (risky)
--   9. undo: create index forecast_snapshots_cursor_idx on forecast_snapshots [non_transactional] (risky)
--   8. undo: add unique constraint forecast_snapshots_fund_id_idempotency_key_key on forecast_snapshots (safe)
--   7. undo: build the index of unique constraint forecast_snapshots_fund_id_idempotency_key_key on forecast_snapshots [data_dependent, non_transactional] (risky)
--   6. undo: add check constraint forecast_snapshots_idempotency_key_check on forecast_snapshots (safe)
--   5. undo: change type of column investment_lots.version from integer to bigint [rewrite, access_exclusive] (risky)
--   4. undo: change type of column reserve_allocations.version from integer to bigint [rewrite, access_exclusive] (risky)
--   3. undo: change type of column forecast_snapshots.version from integer to bigint [rewrite, access_exclusive] (risky)
--   2. undo: (down only) build the index of unique constraint forecast_snapshots_idempotency_key_key on forecast_snapshots [non_transactional] (risky)
--   1. undo: drop unique constraint forecast_snapshots_idempotency_key_key on forecast_snapshots (safe)
-- Written by schemac compile; do not edit (schemac.sum records its checksum).

SET lock_timeout = '5s';
SET statement_timeout = '30min';
SET search_path = public;

-- pre-flight checks: each fails before anything changes
DO $schemac$
#variable_conflict use_column
DECLARE sc_n bigint; sc_ex text;
BEGIN
  SELECT * INTO sc_n, sc_ex FROM (SELECT count(*), min(version::text) FROM public.investment_lots WHERE version < -2147483648 OR version > 2147483647) AS q;
  IF sc_n > 0 THEN
    RAISE EXCEPTION USING MESSAGE = 'schemac pre-flight: ' || sc_n || ' values of public.investment_lots.version outside the range of integer (-2,147,483,648 to 2,147,483,647)'
      || coalesce(' (for example ' || sc_ex || ')', '') || '; rollback to integer is safe only when there are none';
  END IF;
END
$schemac$;
DO $schemac$
#variable_conflict use_column
DECLARE sc_n bigint; sc_ex text;
BEGIN
  SELECT * INTO sc_n, sc_ex FROM (SELECT count(*), min(version::text) FROM public.reserve_allocations WHERE version < -2147483648 OR version > 2147483647) AS q;
  IF sc_n > 0 THEN
    RAISE EXCEPTION USING MESSAGE = 'schemac pre-flight: ' || sc_n || ' values of public.reserve_allocations.version outside the range of integer (-2,147,483,648 to 2,147,483,647)'
      || coalesce(' (for example ' || sc_ex || ')', '') || '; rollback to integer is safe only when there are none';
  END IF;
END
$schemac$;
DO $schemac$
#variable_conflict use_column
DECLARE sc_n bigint; sc_ex text;
BEGIN
  SELECT * INTO sc_n, sc_ex FROM (SELECT count(*), min(version::text) FROM public.forecast_snapshots WHERE version < -2147483648 OR version > 2147483647) AS q;
  IF sc_n > 0 THEN
    RAISE EXCEPTION USING MESSAGE = 'schemac pre-flight: ' || sc_n || ' values of public.forecast_snapshots.version outside the range of integer (-2,147,483,648 to 2,147,483,647)'
      || coalesce(' (for example ' || sc_ex || ')', '') || '; rollback to integer is safe only when there are none';
  END IF;
END
$schemac$;
DO $schemac$
#variable_conflict use_column
DECLARE sc_n bigint; sc_ex text;
BEGIN
  SELECT * INTO sc_n, sc_ex FROM (SELECT count(*), min(k) FROM (SELECT (idempotency_key)::text AS k FROM public.forecast_snapshots AS r WHERE idempotency_key IS NOT NULL GROUP BY idempotency_key HAVING count(*) > 1) AS d) AS q;
  IF sc_n > 0 THEN
    RAISE EXCEPTION USING MESSAGE = 'schemac pre-flight: ' || sc_n || ' duplicate values of (idempotency_key) in public.forecast_snapshots'
      || coalesce(' (for example ' || sc_ex || ')', '') || '; the unique constraint forecast_snapshots_idempotency_key_key cannot be added back by the down';
  END IF;
END
$schemac$;

-- step 10: undo: validate check constraint forecast_snapshots_idempotency_key_check on forecast_snapshots
-- nothing to do: validating a constraint changes no definition

-- step 9: undo: create index forecast_snapshots_cursor_idx on forecast_snapshots (outside a transaction)
DROP INDEX CONCURRENTLY public.forecast_snapshots_cursor_idx;

BEGIN;

-- step 8: undo: add unique constraint forecast_snapshots_fund_id_idempotency_key_key on forecast_snapshots
ALTER TABLE public.forecast_snapshots DROP CONSTRAINT forecast_snapshots_fund_id_idempotency_key_key;

-- step 7: undo: build the index of unique constraint forecast_snapshots_fund_id_idempotency_key_key on forecast_snapshots
-- nothing to do: the index went with the constraint built on it

-- step 6: undo: add check constraint forecast_snapshots_idempotency_key_check on forecast_snapshots
ALTER TABLE public.forecast_snapshots DROP CONSTRAINT forecast_snapshots_idempotency_key_check;

-- step 5: undo: change type of column investment_lots.version from integer to bigint
ALTER TABLE public.investment_lots ALTER COLUMN version TYPE integer;

-- step 4: undo: change type of column reserve_allocations.version from integer to bigint
ALTER TABLE public.reserve_allocations ALTER COLUMN version TYPE integer;

-- step 3: undo: change type of column forecast_snapshots.version from integer to bigint
ALTER TABLE public.forecast_snapshots ALTER COLUMN version TYPE integer;

COMMIT;

-- step 2: undo: (down only) build the index of unique constraint forecast_snapshots_idempotency_key_key on forecast_snapshots (outside a transaction)
CREATE UNIQUE INDEX CONCURRENTLY forecast_snapshots_idempotency_key_key ON public.forecast_snapshots (idempotency_key);

BEGIN;

-- step 1: undo: drop unique constraint forecast_snapshots_idempotency_key_key on forecast_snapshots
ALTER TABLE public.forecast_snapshots ADD CONSTRAINT forecast_snapshots_idempotency_key_key UNIQUE USING INDEX forecast_snapshots_idempotency_key_key;

COMMIT;
