#!/usr/bin/env bash
# Lock safety of the migrations schemac writes, checked by squawk (the npm
# package squawk-cli, which runs offline once installed): the example's
# committed migrations (generated/migrations) and a series compiled here
# from tests/squawk/v1..v3.schema, which changes tables that hold rows in
# every way the planner knows (new unique keys, checks, foreign keys, NOT
# NULL, indexes, a widening and a narrowing, enum labels added and
# removed, renames, drops).  The series is compiled with schemac's private
# development server (started here under a scratch cache directory and
# stopped at the end), so this test also runs that path end to end.
#
# The rules enforced: squawk's lock-safety rules, every rule but those
# excluded below.  Excluded, each for a stated reason:
#   changing-column-type      PostgreSQL rewrites the table under an ACCESS
#                             EXCLUSIVE lock for a type change and has no
#                             online form; schemac marks the step
#                             rewrite + access_exclusive in the plan
#   prefer-bigint-over-int, prefer-bigint-over-smallint, prefer-identity,
#   prefer-text-field, prefer-timestamptz, ban-char-field
#                             advice about the column types a schema
#                             chooses, not about how a migration runs
#   ban-drop-column, ban-drop-table, ban-drop-not-null, renaming-column,
#   renaming-table            changes the schema asks for; drops are data
#                             loss, which compile refuses without
#                             --allow-data-loss
#   prefer-robust-stmts       IF [NOT] EXISTS: migrations run once, under
#                             the runtime's ledger, and fail as a whole
#
#   test_squawk.sh SCHEMAC SOURCE_ROOT
set -u
schemac=$(realpath "$1")
root=$2
work=$(mktemp -d /tmp/schemac-squawk-XXXXXX)
chmod 711 "$work"
export SCHEMAC_CACHE_DIR="$work/cache"
unset SCHEMAC_DEV_URL
cleanup() {
  # Stop the private server this test started.
  local pid
  for f in "$work"/cache/pg*/data/postmaster.pid; do
    [ -f "$f" ] || continue
    pid=$(head -1 "$f")
    kill -INT "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  [ -n "${SCHEMAC_KEEP_WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

squawk_version=2.66.0
tools=${SCHEMAC_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/schemac-dev}
squawk=${SCHEMAC_SQUAWK:-$tools/squawk-$squawk_version/node_modules/.bin/squawk}
if [ ! -x "$squawk" ]; then
  if command -v npm >/dev/null; then
    npm install --silent --no-audit --no-fund --prefix "$tools/squawk-$squawk_version" \
      "squawk-cli@$squawk_version" >/dev/null 2>&1
  fi
fi
if [ ! -x "$squawk" ]; then
  echo "FAIL: squawk not found at $squawk and npm could not install squawk-cli@$squawk_version"
  echo "(scripts/setup.sh installs it; or set SCHEMAC_SQUAWK)"
  exit 1
fi

excluded=changing-column-type,prefer-bigint-over-int,prefer-bigint-over-smallint,prefer-identity
excluded=$excluded,prefer-text-field,prefer-timestamptz,ban-char-field,ban-drop-column
excluded=$excluded,ban-drop-table,ban-drop-not-null,renaming-column,renaming-table
excluded=$excluded,prefer-robust-stmts

fail=0
# The series.
mkdir -p "$work/p/schema"
for v in 1 2 3; do
  cp "$root/tests/squawk/v$v.schema" "$work/p/schema/main.schema"
  if ! (cd "$work/p" && "$schemac" compile --allow-data-loss -m "v$v" >"$work/out.$v" 2>&1); then
    echo "FAIL: compile of v$v:"
    cat "$work/out.$v"
    fail=1
  fi
done
count=$(ls "$work/p/generated/migrations/"*.sql 2>/dev/null | wc -l)
if [ "$count" -ne 6 ]; then
  echo "FAIL: the series wrote $count migration files, want 6"
  fail=1
fi

# squawk over the series and the example's committed migrations.
files=("$work"/p/generated/migrations/*.sql)
if ls "$root"/generated/migrations/*.sql >/dev/null 2>&1; then
  files+=("$root"/generated/migrations/*.sql)
else
  echo "FAIL: no committed migrations under $root/generated/migrations"
  fail=1
fi
if ! "$squawk" --pg-version=15.0 --reporter=gcc --exclude="$excluded" "${files[@]}" >"$work/squawk" 2>&1; then
  echo "FAIL: squawk found lock-safety violations:"
  cat "$work/squawk"
  fail=1
fi
echo "squawk $squawk_version checked ${#files[@]} files (excluded rules: $excluded)"
exit "$fail"
