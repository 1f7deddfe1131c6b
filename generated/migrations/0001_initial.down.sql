-- schemac migration 0001_initial (down)
--
-- from schema 22a5a9301b0935e9a03cf77a095506ea
-- to schema   99aa06d3014798d86001c324468d497f
-- transaction: one (every step runs in one transaction)
-- hazards: none
-- steps (reverse order):
--   74. undo: set comment of enum fund_status (safe)
--   73. undo: set comment of extension pg_trgm (safe)
--   72. undo: set comment of schema ops (safe)
--   71. undo: add foreign key notification_preferences_fund_id_fkey on ops.notification_preferences (safe)
--   70. undo: add foreign key notification_preferences_user_id_fkey on ops.notification_preferences (safe)
--   69. undo: add foreign key rebalance_events_triggered_by_fkey on rebalance_events (safe)
--   68. undo: add foreign key rebalance_events_scenario_id_fkey on rebalance_events (safe)
--   67. undo: add foreign key rebalance_events_fund_id_fkey on rebalance_events (safe)
--   66. undo: add foreign key investment_lots_investment_id_fkey on investment_lots (safe)
--   65. undo: add foreign key investments_lead_partner_id_fkey on investments (safe)
--   64. undo: add foreign key investments_company_id_fkey on investments (safe)
--   63. undo: add foreign key investments_fund_id_fkey on investments (safe)
--   62. undo: add foreign key carry_waterfalls_fund_id_fkey on carry_waterfalls (safe)
--   61. undo: add foreign key capital_calls_fund_id_fkey on capital_calls (safe)
--   60. undo: add foreign key lp_commitments_limited_partner_id_fkey on lp_commitments (safe)
--   59. undo: add foreign key lp_commitments_fund_id_fkey on lp_commitments (safe)
--   58. undo: add foreign key monte_carlo_results_snapshot_id_fkey on monte_carlo_results (safe)
--   57. undo: add foreign key monte_carlo_results_scenario_id_fkey on monte_carlo_results (safe)
--   56. undo: add foreign key reserve_allocations_investment_id_fkey on reserve_allocations (safe)
--   55. undo: add foreign key reserve_allocations_scenario_id_fkey on reserve_allocations (safe)
--   54. undo: add foreign key forecast_snapshots_scenario_id_fkey on forecast_snapshots (safe)
--   53. undo: add foreign key forecast_snapshots_fund_id_fkey on forecast_snapshots (safe)
--   52. undo: add foreign key scenarios_created_by_fkey on scenarios (safe)
--   51. undo: add foreign key scenarios_fund_id_fkey on scenarios (safe)
--   50. undo: create index rebalance_events_triggered_by_idx on rebalance_events (safe)
--   49. undo: create index rebalance_events_fund_id_occurred_at_idx on rebalance_events (safe)
--   48. undo: create index users_role_idx on users (safe)
--   47. undo: create index users_lower_idx on users (safe)
--   46. undo: create index investment_lots_investment_id_idx on investment_lots (safe)
--   45. undo: create index investment_lots_investment_id_acquired_on_idx on investment_lots (safe)
--   44. undo: create index investments_fund_id_idx on investments (safe)
--   43. undo: create index investments_company_id_idx on investments (safe)
--   42. undo: create index portfolio_companies_metadata_idx on portfolio_companies (safe)
--   41. undo: create index portfolio_companies_name_trgm_idx on portfolio_companies (safe)
--   40. undo: create index portfolio_companies_lower_idx on portfolio_companies (safe)
--   39. undo: create index capital_calls_fund_id_due_date_idx on capital_calls (safe)
--   38. undo: create index lp_commitments_limited_partner_id_idx on lp_commitments (safe)
--   37. undo: create index limited_partners_name_trgm_idx on limited_partners (safe)
--   36. undo: create index funds_status_vintage_year_idx on funds (safe)
--   35. undo: create index monte_carlo_results_status_idx on monte_carlo_results (safe)
--   34. undo: create index monte_carlo_results_scenario_id_created_at_idx on monte_carlo_results (safe)
--   33. undo: create index reserve_allocations_investment_id_idx on reserve_allocations (safe)
--   32. undo: create index forecast_snapshots_fund_id_idx on forecast_snapshots (safe)
--   31. undo: create index forecast_snapshots_payload_idx on forecast_snapshots (safe)
--   30. undo: create index forecast_snapshots_fund_id_snapshot_time_idx on forecast_snapshots (safe)
--   29. undo: create index scenarios_one_default_idx on scenarios (safe)
--   28. undo: create table ops.notification_preferences (safe)
--   27. undo: create table rebalance_events (safe)
--   26. undo: create table users (safe)
--   25. undo: create table investment_lots (safe)
--   24. undo: create table investments (safe)
--   23. undo: create table portfolio_companies (safe)
--   22. undo: create table carry_waterfalls (safe)
--   21. undo: create table capital_calls (safe)
--   20. undo: create table lp_commitments (safe)
--   19. undo: create table limited_partners (safe)
--   18. undo: create table funds (safe)
--   17. undo: create table monte_carlo_results (safe)
--   16. undo: create table reserve_allocations (safe)
--   15. undo: create table forecast_snapshots (safe)
--   14. undo: create table scenarios (safe)
--   13. undo: create enum rebalance_trigger (safe)
--   12. undo: create enum notification_channel (safe)
--   11. undo: create enum user_role (safe)
--   10. undo: create enum investment_status (safe)
--   9. undo: create enum security_type (safe)
--   8. undo: create enum investment_stage (safe)
--   7. undo: create enum capital_call_status (safe)
--   6. undo: create enum lp_kind (safe)
--   5. undo: create enum fund_status (safe)
--   4. undo: create enum simulation_status (safe)
--   3. undo: create enum scenario_kind (safe)
--   2. undo: create extension pg_trgm (safe)
--   1. undo: create schema ops (safe)
-- Written by schemac compile; do not edit (schemac.sum records its checksum).

SET lock_timeout = '5s';
SET statement_timeout = '30min';
SET search_path = public;

BEGIN;

-- step 74: undo: set comment of enum fund_status
COMMENT ON TYPE public.fund_status IS NULL;

-- step 73: undo: set comment of extension pg_trgm
COMMENT ON EXTENSION pg_trgm IS NULL;

-- step 72: undo: set comment of schema ops
COMMENT ON SCHEMA ops IS NULL;

-- step 71: undo: add foreign key notification_preferences_fund_id_fkey on ops.notification_preferences
ALTER TABLE ops.notification_preferences DROP CONSTRAINT notification_preferences_fund_id_fkey;

-- step 70: undo: add foreign key notification_preferences_user_id_fkey on ops.notification_preferences
ALTER TABLE ops.notification_preferences DROP CONSTRAINT notification_preferences_user_id_fkey;

-- step 69: undo: add foreign key rebalance_events_triggered_by_fkey on rebalance_events
ALTER TABLE public.rebalance_events DROP CONSTRAINT rebalance_events_triggered_by_fkey;

-- step 68: undo: add foreign key rebalance_events_scenario_id_fkey on rebalance_events
ALTER TABLE public.rebalance_events DROP CONSTRAINT rebalance_events_scenario_id_fkey;

-- step 67: undo: add foreign key rebalance_events_fund_id_fkey on rebalance_events
ALTER TABLE public.rebalance_events DROP CONSTRAINT rebalance_events_fund_id_fkey;

-- step 66: undo: add foreign key investment_lots_investment_id_fkey on investment_lots
ALTER TABLE public.investment_lots DROP CONSTRAINT investment_lots_investment_id_fkey;

-- step 65: undo: add foreign key investments_lead_partner_id_fkey on investments
ALTER TABLE public.investments DROP CONSTRAINT investments_lead_partner_id_fkey;

-- step 64: undo: add foreign key investments_company_id_fkey on investments
ALTER TABLE public.investments DROP CONSTRAINT investments_company_id_fkey;

-- step 63: undo: add foreign key investments_fund_id_fkey on investments
ALTER TABLE public.investments DROP CONSTRAINT investments_fund_id_fkey;

-- step 62: undo: add foreign key carry_waterfalls_fund_id_fkey on carry_waterfalls
ALTER TABLE public.carry_waterfalls DROP CONSTRAINT carry_waterfalls_fund_id_fkey;

-- step 61: undo: add foreign key capital_calls_fund_id_fkey on capital_calls
ALTER TABLE public.capital_calls DROP CONSTRAINT capital_calls_fund_id_fkey;

-- step 60: undo: add foreign key lp_commitments_limited_partner_id_fkey on lp_commitments
ALTER TABLE public.lp_commitments DROP CONSTRAINT lp_commitments_limited_partner_id_fkey;

-- step 59: undo: add foreign key lp_commitments_fund_id_fkey on lp_commitments
ALTER TABLE public.lp_commitments DROP CONSTRAINT lp_commitments_fund_id_fkey;

-- step 58: undo: add foreign key monte_carlo_results_snapshot_id_fkey on monte_carlo_results
ALTER TABLE public.monte_carlo_results DROP CONSTRAINT monte_carlo_results_snapshot_id_fkey;

-- step 57: undo: add foreign key monte_carlo_results_scenario_id_fkey on monte_carlo_results
ALTER TABLE public.monte_carlo_results DROP CONSTRAINT monte_carlo_results_scenario_id_fkey;

-- step 56: undo: add foreign key reserve_allocations_investment_id_fkey on reserve_allocations
ALTER TABLE public.reserve_allocations DROP CONSTRAINT reserve_allocations_investment_id_fkey;

-- step 55: undo: add foreign key reserve_allocations_scenario_id_fkey on reserve_allocations
ALTER TABLE public.reserve_allocations DROP CONSTRAINT reserve_allocations_scenario_id_fkey;

-- step 54: undo: add foreign key forecast_snapshots_scenario_id_fkey on forecast_snapshots
ALTER TABLE public.forecast_snapshots DROP CONSTRAINT forecast_snapshots_scenario_id_fkey;

-- step 53: undo: add foreign key forecast_snapshots_fund_id_fkey on forecast_snapshots
ALTER TABLE public.forecast_snapshots DROP CONSTRAINT forecast_snapshots_fund_id_fkey;

-- step 52: undo: add foreign key scenarios_created_by_fkey on scenarios
ALTER TABLE public.scenarios DROP CONSTRAINT scenarios_created_by_fkey;

-- step 51: undo: add foreign key scenarios_fund_id_fkey on scenarios
ALTER TABLE public.scenarios DROP CONSTRAINT scenarios_fund_id_fkey;

-- step 50: undo: create index rebalance_events_triggered_by_idx on rebalance_events
-- dropped with its table public.rebalance_events

-- step 49: undo: create index rebalance_events_fund_id_occurred_at_idx on rebalance_events
-- dropped with its table public.rebalance_events

-- step 48: undo: create index users_role_idx on users
-- dropped with its table public.users

-- step 47: undo: create index users_lower_idx on users
-- dropped with its table public.users

-- step 46: undo: create index investment_lots_investment_id_idx on investment_lots
-- dropped with its table public.investment_lots

-- step 45: undo: create index investment_lots_investment_id_acquired_on_idx on investment_lots
-- dropped with its table public.investment_lots

-- step 44: undo: create index investments_fund_id_idx on investments
-- dropped with its table public.investments

-- step 43: undo: create index investments_company_id_idx on investments
-- dropped with its table public.investments

-- step 42: undo: create index portfolio_companies_metadata_idx on portfolio_companies
-- dropped with its table public.portfolio_companies

-- step 41: undo: create index portfolio_companies_name_trgm_idx on portfolio_companies
-- dropped with its table public.portfolio_companies

-- step 40: undo: create index portfolio_companies_lower_idx on portfolio_companies
-- dropped with its table public.portfolio_companies

-- step 39: undo: create index capital_calls_fund_id_due_date_idx on capital_calls
-- dropped with its table public.capital_calls

-- step 38: undo: create index lp_commitments_limited_partner_id_idx on lp_commitments
-- dropped with its table public.lp_commitments

-- step 37: undo: create index limited_partners_name_trgm_idx on limited_partners
-- dropped with its table public.limited_partners

-- step 36: undo: create index funds_status_vintage_year_idx on funds
-- dropped with its table public.funds

-- step 35: undo: create index monte_carlo_results_status_idx on monte_carlo_results
-- dropped with its table public.monte_carlo_results

-- step 34: undo: create index monte_carlo_results_scenario_id_created_at_idx on monte_carlo_results
-- dropped with its table public.monte_carlo_results

-- step 33: undo: create index reserve_allocations_investment_id_idx on reserve_allocations
-- dropped with its table public.reserve_allocations

-- step 32: undo: create index forecast_snapshots_fund_id_idx on forecast_snapshots
-- dropped with its table public.forecast_snapshots

-- step 31: undo: create index forecast_snapshots_payload_idx on forecast_snapshots
-- dropped with its table public.forecast_snapshots

-- step 30: undo: create index forecast_snapshots_fund_id_snapshot_time_idx on forecast_snapshots
-- dropped with its table public.forecast_snapshots

-- step 29: undo: create index scenarios_one_default_idx on scenarios
-- dropped with its table public.scenarios

-- step 28: undo: create table ops.notification_preferences
DROP TABLE ops.notification_preferences;

-- step 27: undo: create table rebalance_events
DROP TABLE public.rebalance_events;

-- step 26: undo: create table users
DROP TABLE public.users;

-- step 25: undo: create table investment_lots
DROP TABLE public.investment_lots;

-- step 24: undo: create table investments
DROP TABLE public.investments;

-- step 23: undo: create table portfolio_companies
DROP TABLE public.portfolio_companies;

-- step 22: undo: create table carry_waterfalls
DROP TABLE public.carry_waterfalls;

-- step 21: undo: create table capital_calls
DROP TABLE public.capital_calls;

-- step 20: undo: create table lp_commitments
DROP TABLE public.lp_commitments;

-- step 19: undo: create table limited_partners
DROP TABLE public.limited_partners;

-- step 18: undo: create table funds
DROP TABLE public.funds;

-- step 17: undo: create table monte_carlo_results
DROP TABLE public.monte_carlo_results;

-- step 16: undo: create table reserve_allocations
DROP TABLE public.reserve_allocations;

-- step 15: undo: create table forecast_snapshots
DROP TABLE public.forecast_snapshots;

-- step 14: undo: create table scenarios
DROP TABLE public.scenarios;

-- step 13: undo: create enum rebalance_trigger
DROP TYPE public.rebalance_trigger;

-- step 12: undo: create enum notification_channel
DROP TYPE public.notification_channel;

-- step 11: undo: create enum user_role
DROP TYPE public.user_role;

-- step 10: undo: create enum investment_status
DROP TYPE public.investment_status;

-- step 9: undo: create enum security_type
DROP TYPE public.security_type;

-- step 8: undo: create enum investment_stage
DROP TYPE public.investment_stage;

-- step 7: undo: create enum capital_call_status
DROP TYPE public.capital_call_status;

-- step 6: undo: create enum lp_kind
DROP TYPE public.lp_kind;

-- step 5: undo: create enum fund_status
DROP TYPE public.fund_status;

-- step 4: undo: create enum simulation_status
DROP TYPE public.simulation_status;

-- step 3: undo: create enum scenario_kind
DROP TYPE public.scenario_kind;

-- step 2: undo: create extension pg_trgm
DROP EXTENSION pg_trgm;

-- step 1: undo: create schema ops
DROP SCHEMA ops;

COMMIT;
