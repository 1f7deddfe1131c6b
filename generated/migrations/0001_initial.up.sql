-- schemac migration 0001_initial (up)
--
-- from schema 99aa06d3014798d86001c324468d497f
-- to schema   22a5a9301b0935e9a03cf77a095506ea
-- transaction: one (every step runs in one transaction)
-- hazards: none
-- steps (in order):
--   1. create schema ops (safe)
--   2. create extension pg_trgm (safe)
--   3. create enum scenario_kind (safe)
--   4. create enum simulation_status (safe)
--   5. create enum fund_status (safe)
--   6. create enum lp_kind (safe)
--   7. create enum capital_call_status (safe)
--   8. create enum investment_stage (safe)
--   9. create enum security_type (safe)
--   10. create enum investment_status (safe)
--   11. create enum user_role (safe)
--   12. create enum notification_channel (safe)
--   13. create enum rebalance_trigger (safe)
--   14. create table scenarios (safe)
--   15. create table forecast_snapshots (safe)
--   16. create table reserve_allocations (safe)
--   17. create table monte_carlo_results (safe)
--   18. create table funds (safe)
--   19. create table limited_partners (safe)
--   20. create table lp_commitments (safe)
--   21. create table capital_calls (safe)
--   22. create table carry_waterfalls (safe)
--   23. create table portfolio_companies (safe)
--   24. create table investments (safe)
--   25. create table investment_lots (safe)
--   26. create table users (safe)
--   27. create table rebalance_events (safe)
--   28. create table ops.notification_preferences (safe)
--   29. create index scenarios_one_default_idx on scenarios (safe)
--   30. create index forecast_snapshots_fund_id_snapshot_time_idx on forecast_snapshots (safe)
--   31. create index forecast_snapshots_payload_idx on forecast_snapshots (safe)
--   32. create index forecast_snapshots_fund_id_idx on forecast_snapshots (safe)
--   33. create index reserve_allocations_investment_id_idx on reserve_allocations (safe)
--   34. create index monte_carlo_results_scenario_id_created_at_idx on monte_carlo_results (safe)
--   35. create index monte_carlo_results_status_idx on monte_carlo_results (safe)
--   36. create index funds_status_vintage_year_idx on funds (safe)
--   37. create index limited_partners_name_trgm_idx on limited_partners (safe)
--   38. create index lp_commitments_limited_partner_id_idx on lp_commitments (safe)
--   39. create index capital_calls_fund_id_due_date_idx on capital_calls (safe)
--   40. create index portfolio_companies_lower_idx on portfolio_companies (safe)
--   41. create index portfolio_companies_name_trgm_idx on portfolio_companies (safe)
--   42. create index portfolio_companies_metadata_idx on portfolio_companies (safe)
--   43. create index investments_company_id_idx on investments (safe)
--   44. create index investments_fund_id_idx on investments (safe)
--   45. create index investment_lots_investment_id_acquired_on_idx on investment_lots (safe)
--   46. create index investment_lots_investment_id_idx on investment_lots (safe)
--   47. create index users_lower_idx on users (safe)
--   48. create index users_role_idx on users (safe)
--   49. create index rebalance_events_fund_id_occurred_at_idx on rebalance_events (safe)
--   50. create index rebalance_events_triggered_by_idx on rebalance_events (safe)
--   51. add foreign key scenarios_fund_id_fkey on scenarios (safe)
--   52. add foreign key scenarios_created_by_fkey on scenarios (safe)
--   53. add foreign key forecast_snapshots_fund_id_fkey on forecast_snapshots (safe)
--   54. add foreign key forecast_snapshots_scenario_id_fkey on forecast_snapshots (safe)
--   55. add foreign key reserve_allocations_scenario_id_fkey on reserve_allocations (safe)
--   56. add foreign key reserve_allocations_investment_id_fkey on reserve_allocations (safe)
--   57. add foreign key monte_carlo_results_scenario_id_fkey on monte_carlo_results (safe)
--   58. add foreign key monte_carlo_results_snapshot_id_fkey on monte_carlo_results (safe)
--   59. add foreign key lp_commitments_fund_id_fkey on lp_commitments (safe)
--   60. add foreign key lp_commitments_limited_partner_id_fkey on lp_commitments (safe)
--   61. add foreign key capital_calls_fund_id_fkey on capital_calls (safe)
--   62. add foreign key carry_waterfalls_fund_id_fkey on carry_waterfalls (safe)
--   63. add foreign key investments_fund_id_fkey on investments (safe)
--   64. add foreign key investments_company_id_fkey on investments (safe)
--   65. add foreign key investments_lead_partner_id_fkey on investments (safe)
--   66. add foreign key investment_lots_investment_id_fkey on investment_lots (safe)
--   67. add foreign key rebalance_events_fund_id_fkey on rebalance_events (safe)
--   68. add foreign key rebalance_events_scenario_id_fkey on rebalance_events (safe)
--   69. add foreign key rebalance_events_triggered_by_fkey on rebalance_events (safe)
--   70. add foreign key notification_preferences_user_id_fkey on ops.notification_preferences (safe)
--   71. add foreign key notification_preferences_fund_id_fkey on ops.notification_preferences (safe)
--   72. set comment of schema ops (safe)
--   73. set comment of extension pg_trgm (safe)
--   74. set comment of enum fund_status (safe)
-- Written by schemac compile; do not edit (schemac.sum records its checksum).

SET lock_timeout = '5s';
SET statement_timeout = '30min';
SET search_path = public;

BEGIN;

-- step 1: create schema ops
CREATE SCHEMA ops;

-- step 2: create extension pg_trgm
CREATE EXTENSION pg_trgm;

-- step 3: create enum scenario_kind
CREATE TYPE public.scenario_kind AS ENUM ('base', 'upside', 'downside', 'custom');

-- step 4: create enum simulation_status
CREATE TYPE public.simulation_status AS ENUM ('queued', 'running', 'succeeded', 'failed');

-- step 5: create enum fund_status
CREATE TYPE public.fund_status AS ENUM ('raising', 'investing', 'harvesting', 'closed');

-- step 6: create enum lp_kind
CREATE TYPE public.lp_kind AS ENUM ('pension', 'endowment', 'foundation', 'family_office', 'fund_of_funds', 'sovereign', 'individual', 'gp_commit');

-- step 7: create enum capital_call_status
CREATE TYPE public.capital_call_status AS ENUM ('draft', 'issued', 'partially_paid', 'paid', 'cancelled');

-- step 8: create enum investment_stage
CREATE TYPE public.investment_stage AS ENUM ('pre_seed', 'seed', 'series_a', 'series_b', 'series_c', 'growth', 'late');

-- step 9: create enum security_type
CREATE TYPE public.security_type AS ENUM ('common', 'preferred', 'safe', 'convertible_note', 'warrant');

-- step 10: create enum investment_status
CREATE TYPE public.investment_status AS ENUM ('active', 'written_off', 'exited');

-- step 11: create enum user_role
CREATE TYPE public.user_role AS ENUM ('admin', 'partner', 'analyst', 'viewer');

-- step 12: create enum notification_channel
CREATE TYPE public.notification_channel AS ENUM ('email', 'slack', 'sms', 'webhook');

-- step 13: create enum rebalance_trigger
CREATE TYPE public.rebalance_trigger AS ENUM ('manual', 'scheduled', 'threshold', 'capital_call');

-- step 14: create table scenarios
CREATE TABLE public.scenarios (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    fund_id bigint NOT NULL,
    name text NOT NULL,
    kind scenario_kind DEFAULT 'custom'::scenario_kind NOT NULL,
    is_default boolean DEFAULT false NOT NULL,
    assumptions jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_by bigint,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    archived_at timestamp with time zone,
    CONSTRAINT scenarios_pkey PRIMARY KEY (id),
    CONSTRAINT scenarios_name_check CHECK (((length(name) >= 1) and (length(name) <= 120))),
    CONSTRAINT scenarios_fund_id_name_key UNIQUE (fund_id, name)
);
COMMENT ON TABLE public.scenarios IS 'Named sets of assumptions a fund is forecast under';

-- step 15: create table forecast_snapshots
CREATE TABLE public.forecast_snapshots (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    fund_id bigint NOT NULL,
    scenario_id bigint,
    idempotency_key text,
    version integer DEFAULT 1 NOT NULL,
    snapshot_time timestamp with time zone DEFAULT now() NOT NULL,
    payload jsonb NOT NULL,
    CONSTRAINT forecast_snapshots_pkey PRIMARY KEY (id),
    CONSTRAINT forecast_snapshots_idempotency_key_key UNIQUE (idempotency_key)
);
COMMENT ON TABLE public.forecast_snapshots IS 'Immutable point-in-time forecasts of fund performance';

-- step 16: create table reserve_allocations
CREATE TABLE public.reserve_allocations (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    scenario_id bigint NOT NULL,
    investment_id bigint NOT NULL,
    planned_amount numeric(18,2) NOT NULL,
    deployed_amount numeric(18,2) DEFAULT 0 NOT NULL,
    target_round investment_stage,
    expected_on date,
    notes text,
    version integer DEFAULT 1 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT reserve_allocations_pkey PRIMARY KEY (id),
    CONSTRAINT reserve_allocations_planned_amount_check CHECK ((planned_amount >= (0)::numeric)),
    CONSTRAINT reserve_allocations_deployed_amount_check CHECK ((deployed_amount >= (0)::numeric)),
    CONSTRAINT reserve_allocations_scenario_id_investment_id_key UNIQUE (scenario_id, investment_id),
    CONSTRAINT reserve_allocations_check CHECK ((deployed_amount <= planned_amount))
);
COMMENT ON TABLE public.reserve_allocations IS 'Capital held back for follow-on rounds, per scenario and position';

-- step 17: create table monte_carlo_results
CREATE TABLE public.monte_carlo_results (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    scenario_id bigint NOT NULL,
    snapshot_id bigint,
    status simulation_status DEFAULT 'queued'::simulation_status NOT NULL,
    iterations integer NOT NULL,
    seed bigint NOT NULL,
    tvpi_p10 numeric(10,4),
    tvpi_p50 numeric(10,4),
    tvpi_p90 numeric(10,4),
    irr_p50 numeric(8,6),
    distribution jsonb,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT monte_carlo_results_pkey PRIMARY KEY (id),
    CONSTRAINT monte_carlo_results_iterations_check CHECK (((iterations >= 100) and (iterations <= 10000000))),
    CONSTRAINT monte_carlo_results_check CHECK (((tvpi_p10 <= tvpi_p50) and (tvpi_p50 <= tvpi_p90)))
);
COMMENT ON TABLE public.monte_carlo_results IS 'Outcome distributions of simulated fund performance';
COMMENT ON COLUMN public.monte_carlo_results.irr_p50 IS 'Median net IRR, as a fraction (0.25 = 25%)';
COMMENT ON COLUMN public.monte_carlo_results.distribution IS 'Histogram buckets of simulated TVPI';

-- step 18: create table funds
CREATE TABLE public.funds (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    name text NOT NULL,
    legal_name text,
    status fund_status DEFAULT 'raising'::fund_status NOT NULL,
    vintage_year integer NOT NULL,
    currency character(3) DEFAULT 'USD'::bpchar NOT NULL,
    target_size numeric(18,2),
    hard_cap numeric(18,2),
    committed_capital numeric(18,2) DEFAULT 0 NOT NULL,
    management_fee_pct numeric(5,4) DEFAULT 0.0200 NOT NULL,
    first_close_on date,
    final_close_on date,
    term_years smallint DEFAULT 10 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT funds_pkey PRIMARY KEY (id),
    CONSTRAINT funds_name_key UNIQUE (name),
    CONSTRAINT funds_name_check CHECK (((length(name) >= 1) and (length(name) <= 200))),
    CONSTRAINT funds_vintage_year_check CHECK (((vintage_year >= 1990) and (vintage_year <= 2100))),
    CONSTRAINT funds_currency_check CHECK ((currency ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT funds_target_size_check CHECK ((target_size > (0)::numeric)),
    CONSTRAINT funds_committed_capital_check CHECK ((committed_capital >= (0)::numeric)),
    CONSTRAINT funds_management_fee_pct_check CHECK (((management_fee_pct >= (0)::numeric) and (management_fee_pct <= 0.1))),
    CONSTRAINT funds_term_years_check CHECK (((term_years >= 1) and (term_years <= 20))),
    CONSTRAINT funds_check CHECK ((hard_cap >= target_size))
);
COMMENT ON TABLE public.funds IS 'A venture fund managed by the firm';

-- step 19: create table limited_partners
CREATE TABLE public.limited_partners (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    name text NOT NULL,
    kind lp_kind NOT NULL,
    country character(2),
    tax_id text,
    contact jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT limited_partners_pkey PRIMARY KEY (id),
    CONSTRAINT limited_partners_name_check CHECK (((length(name) >= 1) and (length(name) <= 300))),
    CONSTRAINT limited_partners_tax_id_key UNIQUE (tax_id)
);
COMMENT ON TABLE public.limited_partners IS 'Investors in one or more funds';
COMMENT ON COLUMN public.limited_partners.country IS 'ISO 3166-1 alpha-2';

-- step 20: create table lp_commitments
CREATE TABLE public.lp_commitments (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    fund_id bigint NOT NULL,
    limited_partner_id bigint NOT NULL,
    committed_amount numeric(18,2) NOT NULL,
    called_amount numeric(18,2) DEFAULT 0 NOT NULL,
    signed_on date NOT NULL,
    side_letter boolean DEFAULT false NOT NULL,
    CONSTRAINT lp_commitments_pkey PRIMARY KEY (id),
    CONSTRAINT lp_commitments_committed_amount_check CHECK ((committed_amount > (0)::numeric)),
    CONSTRAINT lp_commitments_fund_id_limited_partner_id_key UNIQUE (fund_id, limited_partner_id),
    CONSTRAINT lp_commitments_check CHECK (((called_amount >= (0)::numeric) and (called_amount <= committed_amount)))
);
COMMENT ON TABLE public.lp_commitments IS 'How much each LP committed to each fund';

-- step 21: create table capital_calls
CREATE TABLE public.capital_calls (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    fund_id bigint NOT NULL,
    call_number integer NOT NULL,
    status capital_call_status DEFAULT 'draft'::capital_call_status NOT NULL,
    notice_date date NOT NULL,
    due_date date NOT NULL,
    amount numeric(18,2) NOT NULL,
    purpose text,
    issued_at timestamp with time zone,
    CONSTRAINT capital_calls_pkey PRIMARY KEY (id),
    CONSTRAINT capital_calls_call_number_check CHECK ((call_number > 0)),
    CONSTRAINT capital_calls_amount_check CHECK ((amount > (0)::numeric)),
    CONSTRAINT capital_calls_purpose_check CHECK ((length(purpose) <= 2000)),
    CONSTRAINT capital_calls_fund_id_call_number_key UNIQUE (fund_id, call_number),
    CONSTRAINT capital_calls_check CHECK ((due_date >= notice_date))
);
COMMENT ON TABLE public.capital_calls IS 'Drawdowns of committed capital, numbered per fund';

-- step 22: create table carry_waterfalls
CREATE TABLE public.carry_waterfalls (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    fund_id bigint NOT NULL,
    tier smallint NOT NULL,
    hurdle_rate numeric(6,4) DEFAULT 0.08 NOT NULL,
    gp_carry_pct numeric(6,4) NOT NULL,
    catch_up_pct numeric(6,4),
    european_style boolean DEFAULT true NOT NULL,
    effective_from date NOT NULL,
    effective_until date,
    CONSTRAINT carry_waterfalls_pkey PRIMARY KEY (id),
    CONSTRAINT carry_waterfalls_tier_check CHECK (((tier >= 1) and (tier <= 10))),
    CONSTRAINT carry_waterfalls_hurdle_rate_check CHECK (((hurdle_rate >= (0)::numeric) and (hurdle_rate <= (1)::numeric))),
    CONSTRAINT carry_waterfalls_gp_carry_pct_check CHECK (((gp_carry_pct >= (0)::numeric) and (gp_carry_pct <= (1)::numeric))),
    CONSTRAINT carry_waterfalls_catch_up_pct_check CHECK (((catch_up_pct >= (0)::numeric) and (catch_up_pct <= (1)::numeric))),
    CONSTRAINT carry_waterfalls_fund_id_tier_effective_from_key UNIQUE (fund_id, tier, effective_from),
    CONSTRAINT carry_waterfalls_check CHECK (((effective_until is null) or (effective_until > effective_from)))
);
COMMENT ON TABLE public.carry_waterfalls IS 'Tiers of the carried-interest distribution waterfall';
COMMENT ON COLUMN public.carry_waterfalls.european_style IS 'False for deal-by-deal carry';

-- step 23: create table portfolio_companies
CREATE TABLE public.portfolio_companies (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    name text NOT NULL,
    legal_name text,
    slug text NOT NULL,
    sector text,
    country character(2),
    founded_year integer,
    website text,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT portfolio_companies_pkey PRIMARY KEY (id),
    CONSTRAINT portfolio_companies_name_check CHECK (((length(name) >= 1) and (length(name) <= 200))),
    CONSTRAINT portfolio_companies_slug_key UNIQUE (slug),
    CONSTRAINT portfolio_companies_slug_check CHECK ((slug ~ '^[a-z0-9-]{2,64}$'::text)),
    CONSTRAINT portfolio_companies_founded_year_check CHECK (((founded_year >= 1900) and (founded_year <= 2100)))
);
COMMENT ON TABLE public.portfolio_companies IS 'Companies the firm has invested in or is tracking';

-- step 24: create table investments
CREATE TABLE public.investments (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    fund_id bigint NOT NULL,
    company_id bigint NOT NULL,
    status investment_status DEFAULT 'active'::investment_status NOT NULL,
    entry_stage investment_stage NOT NULL,
    current_stage investment_stage NOT NULL,
    first_invested_on date NOT NULL,
    exited_on date,
    ownership_pct numeric(7,4),
    lead_partner_id bigint,
    board_seat boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT investments_pkey PRIMARY KEY (id),
    CONSTRAINT investments_ownership_pct_check CHECK (((ownership_pct >= (0)::numeric) and (ownership_pct <= (100)::numeric))),
    CONSTRAINT investments_fund_id_company_id_key UNIQUE (fund_id, company_id),
    CONSTRAINT investments_check CHECK (((exited_on is null) or (exited_on >= first_invested_on)))
);
COMMENT ON TABLE public.investments IS 'One fund''s position in one company';

-- step 25: create table investment_lots
CREATE TABLE public.investment_lots (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    investment_id bigint NOT NULL,
    security security_type NOT NULL,
    acquired_on date NOT NULL,
    shares numeric(20,6) NOT NULL,
    price_per_share numeric(20,8) NOT NULL,
    cost_basis numeric(18,2) GENERATED ALWAYS AS (round((shares * price_per_share), 2)) STORED,
    fx_rate numeric(12,6) DEFAULT 1 NOT NULL,
    disposed_on date,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT investment_lots_pkey PRIMARY KEY (id),
    CONSTRAINT investment_lots_shares_check CHECK ((shares > (0)::numeric)),
    CONSTRAINT investment_lots_price_per_share_check CHECK ((price_per_share >= (0)::numeric)),
    CONSTRAINT investment_lots_fx_rate_check CHECK ((fx_rate > (0)::numeric)),
    CONSTRAINT investment_lots_check CHECK (((disposed_on is null) or (disposed_on >= acquired_on)))
);
COMMENT ON TABLE public.investment_lots IS 'Tranches of a position, each bought at one price on one day';
COMMENT ON COLUMN public.investment_lots.version IS 'Optimistic-locking counter';

-- step 26: create table users
CREATE TABLE public.users (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    email text NOT NULL,
    display_name text NOT NULL,
    role user_role DEFAULT 'viewer'::user_role NOT NULL,
    time_zone text DEFAULT 'UTC'::text NOT NULL,
    last_login_at timestamp with time zone,
    deactivated_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_email_check CHECK (((length(email) >= 3) and (length(email) <= 320)))
);
COMMENT ON TABLE public.users IS 'People who sign in to the fund manager';

-- step 27: create table rebalance_events
CREATE TABLE public.rebalance_events (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    fund_id bigint NOT NULL,
    scenario_id bigint,
    triggered_by bigint,
    trigger rebalance_trigger NOT NULL,
    reason text,
    before_state jsonb NOT NULL,
    after_state jsonb NOT NULL,
    reserves_moved numeric(18,2) DEFAULT 0 NOT NULL,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT rebalance_events_pkey PRIMARY KEY (id),
    CONSTRAINT rebalance_events_reason_check CHECK ((length(reason) <= 1000))
);
COMMENT ON TABLE public.rebalance_events IS 'Each time reserves were moved between positions';

-- step 28: create table ops.notification_preferences
CREATE TABLE ops.notification_preferences (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    user_id bigint NOT NULL,
    fund_id bigint,
    channel notification_channel NOT NULL,
    event_kind text NOT NULL,
    enabled boolean DEFAULT true NOT NULL,
    quiet_from time without time zone,
    quiet_until time without time zone,
    target text,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT notification_preferences_pkey PRIMARY KEY (id),
    CONSTRAINT notification_preferences_event_kind_check CHECK ((event_kind ~ '^[a-z_]+(\.[a-z_]+)*$'::text)),
    CONSTRAINT notification_preferences_user_id_fund_id_channel_event_kind_key UNIQUE NULLS NOT DISTINCT (user_id, fund_id, channel, event_kind),
    CONSTRAINT notification_preferences_check CHECK (((quiet_from is null) = (quiet_until is null)))
);
COMMENT ON TABLE ops.notification_preferences IS 'Which events each user hears about, where, and when not';
COMMENT ON COLUMN ops.notification_preferences.target IS 'E-mail address, Slack channel or webhook URL';

-- step 29: create index scenarios_one_default_idx on scenarios
CREATE UNIQUE INDEX scenarios_one_default_idx ON public.scenarios (fund_id) WHERE (is_default and (archived_at is null));

-- step 30: create index forecast_snapshots_fund_id_snapshot_time_idx on forecast_snapshots
CREATE INDEX forecast_snapshots_fund_id_snapshot_time_idx ON public.forecast_snapshots (fund_id, snapshot_time DESC);

-- step 31: create index forecast_snapshots_payload_idx on forecast_snapshots
CREATE INDEX forecast_snapshots_payload_idx ON public.forecast_snapshots USING gin (payload);

-- step 32: create index forecast_snapshots_fund_id_idx on forecast_snapshots
CREATE INDEX forecast_snapshots_fund_id_idx ON public.forecast_snapshots (fund_id) WHERE (version > 1);

-- step 33: create index reserve_allocations_investment_id_idx on reserve_allocations
CREATE INDEX reserve_allocations_investment_id_idx ON public.reserve_allocations (investment_id);

-- step 34: create index monte_carlo_results_scenario_id_created_at_idx on monte_carlo_results
CREATE INDEX monte_carlo_results_scenario_id_created_at_idx ON public.monte_carlo_results (scenario_id, created_at DESC);

-- step 35: create index monte_carlo_results_status_idx on monte_carlo_results
CREATE INDEX monte_carlo_results_status_idx ON public.monte_carlo_results (status) WHERE (status = any (array['queued'::simulation_status, 'running'::simulation_status]));

-- step 36: create index funds_status_vintage_year_idx on funds
CREATE INDEX funds_status_vintage_year_idx ON public.funds (status, vintage_year);

-- step 37: create index limited_partners_name_trgm_idx on limited_partners
CREATE INDEX limited_partners_name_trgm_idx ON public.limited_partners USING gin (name gin_trgm_ops);

-- step 38: create index lp_commitments_limited_partner_id_idx on lp_commitments
CREATE INDEX lp_commitments_limited_partner_id_idx ON public.lp_commitments (limited_partner_id);

-- step 39: create index capital_calls_fund_id_due_date_idx on capital_calls
CREATE INDEX capital_calls_fund_id_due_date_idx ON public.capital_calls (fund_id, due_date) WHERE (status = any (array['issued'::capital_call_status, 'partially_paid'::capital_call_status]));

-- step 40: create index portfolio_companies_lower_idx on portfolio_companies
CREATE INDEX portfolio_companies_lower_idx ON public.portfolio_companies (lower(name));

-- step 41: create index portfolio_companies_name_trgm_idx on portfolio_companies
CREATE INDEX portfolio_companies_name_trgm_idx ON public.portfolio_companies USING gin (name gin_trgm_ops);

-- step 42: create index portfolio_companies_metadata_idx on portfolio_companies
CREATE INDEX portfolio_companies_metadata_idx ON public.portfolio_companies USING gin (metadata jsonb_path_ops);

-- step 43: create index investments_company_id_idx on investments
CREATE INDEX investments_company_id_idx ON public.investments (company_id);

-- step 44: create index investments_fund_id_idx on investments
CREATE INDEX investments_fund_id_idx ON public.investments (fund_id) WHERE (status = 'active'::investment_status);

-- step 45: create index investment_lots_investment_id_acquired_on_idx on investment_lots
CREATE INDEX investment_lots_investment_id_acquired_on_idx ON public.investment_lots (investment_id, acquired_on);

-- step 46: create index investment_lots_investment_id_idx on investment_lots
CREATE INDEX investment_lots_investment_id_idx ON public.investment_lots (investment_id) WHERE (disposed_on is null);

-- step 47: create index users_lower_idx on users
CREATE UNIQUE INDEX users_lower_idx ON public.users (lower(email));

-- step 48: create index users_role_idx on users
CREATE INDEX users_role_idx ON public.users (role) WHERE (deactivated_at is null);

-- step 49: create index rebalance_events_fund_id_occurred_at_idx on rebalance_events
CREATE INDEX rebalance_events_fund_id_occurred_at_idx ON public.rebalance_events (fund_id, occurred_at DESC);

-- step 50: create index rebalance_events_triggered_by_idx on rebalance_events
CREATE INDEX rebalance_events_triggered_by_idx ON public.rebalance_events (triggered_by) WHERE (triggered_by is not null);

-- step 51: add foreign key scenarios_fund_id_fkey on scenarios
ALTER TABLE public.scenarios ADD CONSTRAINT scenarios_fund_id_fkey FOREIGN KEY (fund_id) REFERENCES public.funds (id) ON DELETE CASCADE;

-- step 52: add foreign key scenarios_created_by_fkey on scenarios
ALTER TABLE public.scenarios ADD CONSTRAINT scenarios_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users (id) ON DELETE SET NULL;

-- step 53: add foreign key forecast_snapshots_fund_id_fkey on forecast_snapshots
ALTER TABLE public.forecast_snapshots ADD CONSTRAINT forecast_snapshots_fund_id_fkey FOREIGN KEY (fund_id) REFERENCES public.funds (id) ON DELETE CASCADE;

-- step 54: add foreign key forecast_snapshots_scenario_id_fkey on forecast_snapshots
ALTER TABLE public.forecast_snapshots ADD CONSTRAINT forecast_snapshots_scenario_id_fkey FOREIGN KEY (scenario_id) REFERENCES public.scenarios (id) ON DELETE SET NULL;

-- step 55: add foreign key reserve_allocations_scenario_id_fkey on reserve_allocations
ALTER TABLE public.reserve_allocations ADD CONSTRAINT reserve_allocations_scenario_id_fkey FOREIGN KEY (scenario_id) REFERENCES public.scenarios (id) ON DELETE CASCADE;

-- step 56: add foreign key reserve_allocations_investment_id_fkey on reserve_allocations
ALTER TABLE public.reserve_allocations ADD CONSTRAINT reserve_allocations_investment_id_fkey FOREIGN KEY (investment_id) REFERENCES public.investments (id) ON DELETE CASCADE;

-- step 57: add foreign key monte_carlo_results_scenario_id_fkey on monte_carlo_results
ALTER TABLE public.monte_carlo_results ADD CONSTRAINT monte_carlo_results_scenario_id_fkey FOREIGN KEY (scenario_id) REFERENCES public.scenarios (id) ON DELETE CASCADE;

-- step 58: add foreign key monte_carlo_results_snapshot_id_fkey on monte_carlo_results
ALTER TABLE public.monte_carlo_results ADD CONSTRAINT monte_carlo_results_snapshot_id_fkey FOREIGN KEY (snapshot_id) REFERENCES public.forecast_snapshots (id) ON DELETE SET NULL;

-- step 59: add foreign key lp_commitments_fund_id_fkey on lp_commitments
ALTER TABLE public.lp_commitments ADD CONSTRAINT lp_commitments_fund_id_fkey FOREIGN KEY (fund_id) REFERENCES public.funds (id) ON DELETE RESTRICT;

-- step 60: add foreign key lp_commitments_limited_partner_id_fkey on lp_commitments
ALTER TABLE public.lp_commitments ADD CONSTRAINT lp_commitments_limited_partner_id_fkey FOREIGN KEY (limited_partner_id) REFERENCES public.limited_partners (id) ON DELETE RESTRICT;

-- step 61: add foreign key capital_calls_fund_id_fkey on capital_calls
ALTER TABLE public.capital_calls ADD CONSTRAINT capital_calls_fund_id_fkey FOREIGN KEY (fund_id) REFERENCES public.funds (id) ON DELETE CASCADE;

-- step 62: add foreign key carry_waterfalls_fund_id_fkey on carry_waterfalls
ALTER TABLE public.carry_waterfalls ADD CONSTRAINT carry_waterfalls_fund_id_fkey FOREIGN KEY (fund_id) REFERENCES public.funds (id) ON DELETE CASCADE;

-- step 63: add foreign key investments_fund_id_fkey on investments
ALTER TABLE public.investments ADD CONSTRAINT investments_fund_id_fkey FOREIGN KEY (fund_id) REFERENCES public.funds (id) ON DELETE RESTRICT;

-- step 64: add foreign key investments_company_id_fkey on investments
ALTER TABLE public.investments ADD CONSTRAINT investments_company_id_fkey FOREIGN KEY (company_id) REFERENCES public.portfolio_companies (id) ON DELETE RESTRICT;

-- step 65: add foreign key investments_lead_partner_id_fkey on investments
ALTER TABLE public.investments ADD CONSTRAINT investments_lead_partner_id_fkey FOREIGN KEY (lead_partner_id) REFERENCES public.users (id) ON DELETE SET NULL;

-- step 66: add foreign key investment_lots_investment_id_fkey on investment_lots
ALTER TABLE public.investment_lots ADD CONSTRAINT investment_lots_investment_id_fkey FOREIGN KEY (investment_id) REFERENCES public.investments (id) ON DELETE CASCADE;

-- step 67: add foreign key rebalance_events_fund_id_fkey on rebalance_events
ALTER TABLE public.rebalance_events ADD CONSTRAINT rebalance_events_fund_id_fkey FOREIGN KEY (fund_id) REFERENCES public.funds (id) ON DELETE CASCADE;

-- step 68: add foreign key rebalance_events_scenario_id_fkey on rebalance_events
ALTER TABLE public.rebalance_events ADD CONSTRAINT rebalance_events_scenario_id_fkey FOREIGN KEY (scenario_id) REFERENCES public.scenarios (id) ON DELETE SET NULL;

-- step 69: add foreign key rebalance_events_triggered_by_fkey on rebalance_events
ALTER TABLE public.rebalance_events ADD CONSTRAINT rebalance_events_triggered_by_fkey FOREIGN KEY (triggered_by) REFERENCES public.users (id) ON DELETE SET NULL;

-- step 70: add foreign key notification_preferences_user_id_fkey on ops.notification_preferences
ALTER TABLE ops.notification_preferences ADD CONSTRAINT notification_preferences_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users (id) ON DELETE CASCADE;

-- step 71: add foreign key notification_preferences_fund_id_fkey on ops.notification_preferences
ALTER TABLE ops.notification_preferences ADD CONSTRAINT notification_preferences_fund_id_fkey FOREIGN KEY (fund_id) REFERENCES public.funds (id) ON DELETE CASCADE;

-- step 72: set comment of schema ops
COMMENT ON SCHEMA ops IS 'Operational settings that are not part of the fund model';

-- step 73: set comment of extension pg_trgm
COMMENT ON EXTENSION pg_trgm IS 'Trigram matching for fuzzy company and investor search';

-- step 74: set comment of enum fund_status
COMMENT ON TYPE public.fund_status IS 'Lifecycle of a fund, from first close to final distribution';

COMMIT;
