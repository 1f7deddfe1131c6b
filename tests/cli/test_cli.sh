#!/usr/bin/env bash
# End-to-end tests of the schemac command line: exit codes, the shape of
# diagnostics (file:line:col, the source line, a caret), fmt and
# fmt --check on real files, and the project's example schema.
#
#   test_cli.sh SCHEMAC SOURCE_ROOT
set -u
schemac=$1
root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect_rc NAME WANT CMD... : runs CMD, checks its exit code
expect_rc() {
  local name=$1 want=$2
  shift 2
  "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  if [ "$rc" -eq "$want" ]; then ok; else bad "$name: exit $rc, want $want"; cat "$work/out" "$work/err"; fi
}

# expect_grep NAME FILE PATTERN
expect_grep() {
  if grep -qE -- "$3" "$2"; then ok; else bad "$1: no /$3/ in:"; cat "$2"; fi
}

# The example schema is valid and canonical.
expect_rc "example validates" 0 "$schemac" validate "$root/schema"
expect_grep "example summary" "$work/out" '^[0-9]+ files?: .*[0-9]+ tables?'
expect_grep "example hash" "$work/out" '^schema hash [0-9a-f]{32}$'
expect_rc "example is canonical" 0 "$schemac" fmt --check "$root/schema"

# A located error: file:line:col, the line, a caret; exit 2.
cat >"$work/bad.schema" <<'SCHEMA'
table funds {
  id bigint primary key
  vintage intger not null
}
SCHEMA
expect_rc "bad schema" 2 "$schemac" validate "$work/bad.schema"
expect_grep "error line" "$work/err" "^$work/bad.schema:3:11: error: unknown type \"intger\"$"
expect_grep "source line" "$work/err" '^ +3 \|   vintage intger not null$'
expect_grep "caret line" "$work/err" '^ +\|           \^~~~~~$'

# Names resolve across files; duplicates across files name both places.
mkdir -p "$work/multi"
printf 'table lots {\n  fund_id bigint references funds\n}\n' >"$work/multi/b.schema"
printf 'table funds {\n  id bigint primary key\n}\n' >"$work/multi/a.schema"
expect_rc "cross-file references" 0 "$schemac" validate "$work/multi"
printf 'table funds {\n  x int\n}\n' >"$work/multi/c.schema"
expect_rc "cross-file duplicate" 2 "$schemac" validate "$work/multi"
expect_grep "duplicate here" "$work/err" "c.schema:1:1: error: table funds is declared twice"
expect_grep "duplicate first" "$work/err" "a.schema:1:1: note: first declared here"

# fmt --check lists files that are not canonical; fmt fixes them, keeping meaning.
printf 'TABLE t {\n  A INT NOT NULL,\n  b varchar(10) -- note\n}\n' >"$work/ugly.schema"
"$schemac" print "$work/ugly.schema" >"$work/before.txt"
expect_rc "fmt --check finds" 1 "$schemac" fmt --check "$work/ugly.schema"
expect_grep "fmt --check lists" "$work/out" "ugly.schema$"
expect_rc "fmt rewrites" 0 "$schemac" fmt "$work/ugly.schema"
expect_rc "fmt --check after" 0 "$schemac" fmt --check "$work/ugly.schema"
expect_grep "fmt kept comment" "$work/ugly.schema" '-- note$'
expect_grep "fmt canonical" "$work/ugly.schema" '^  a integer +not null$'
"$schemac" print "$work/ugly.schema" >"$work/after.txt"
if cmp -s "$work/before.txt" "$work/after.txt"; then ok; else bad "fmt changed the schema"; diff "$work/before.txt" "$work/after.txt"; fi

# Sequences: fmt puts options in order and wraps a long declaration;
# fmt --check accepts its own output; the schema is unchanged.
cat >"$work/seq.schema" <<'SCHEMA'
table orders { number int }
SEQUENCE order_numbers_for_the_whole_company CYCLE Cache 20 AS INT4 START 1000 increment by 1
  owned by orders.number comment 'Order numbers, one per order, handed out by the application'
SCHEMA
"$schemac" print "$work/seq.schema" >"$work/before.txt"
expect_rc "fmt sequence" 0 "$schemac" fmt "$work/seq.schema"
expect_grep "sequence canonical" "$work/seq.schema" '^sequence order_numbers_for_the_whole_company as integer start with 1000 cache 20 cycle$'
expect_grep "sequence wrapped" "$work/seq.schema" "^  owned by orders.number comment 'Order numbers"
expect_rc "fmt --check sequence" 0 "$schemac" fmt --check "$work/seq.schema"
"$schemac" print "$work/seq.schema" >"$work/after.txt"
if cmp -s "$work/before.txt" "$work/after.txt"; then ok; else bad "fmt changed the sequence"; diff "$work/before.txt" "$work/after.txt"; fi
expect_rc "validate sequence" 0 "$schemac" validate "$work/seq.schema"
expect_grep "sequence summary" "$work/out" ' 0 enums, 1 sequence, 1 table,'

# Collations and a commented check: fmt writes them canonically, its
# output reads back as the same schema, validate counts the collation.
cat >"$work/coll.schema" <<'SCHEMA'
COLLATION ci (Provider = ICU, locale = 'und-u-ks-level2', deterministic = false)
table t {
  a text collate ci
  b text
  CHECK (a <> b) comment 'not the same'
}
SCHEMA
"$schemac" print "$work/coll.schema" >"$work/before.txt"
expect_rc "fmt collation" 0 "$schemac" fmt "$work/coll.schema"
expect_grep "collation canonical" "$work/coll.schema" "^collation ci \\(provider = icu, locale = 'und-u-ks-level2', deterministic = false\\)$"
expect_grep "commented check" "$work/coll.schema" "^  check \\(a <> b\\) comment 'not the same'$"
expect_rc "fmt --check collation" 0 "$schemac" fmt --check "$work/coll.schema"
"$schemac" print "$work/coll.schema" >"$work/after.txt"
if cmp -s "$work/before.txt" "$work/after.txt"; then ok; else bad "fmt changed the collation schema"; diff "$work/before.txt" "$work/after.txt"; fi
expect_rc "validate collation" 0 "$schemac" validate "$work/coll.schema"
expect_grep "collation summary" "$work/out" ' 0 extensions, 1 collation, 0 enums, 1 table,'

# fmt refuses files that do not parse and leaves them untouched.
printf 'table t {\n  a int check (\n}\n' >"$work/broken.schema"
cp "$work/broken.schema" "$work/broken.orig"
expect_rc "fmt on broken file" 2 "$schemac" fmt "$work/broken.schema"
if cmp -s "$work/broken.schema" "$work/broken.orig"; then ok; else bad "fmt changed a broken file"; fi

# Usage errors.
expect_rc "missing path" 2 "$schemac" validate "$work/does-not-exist"
expect_grep "missing path message" "$work/err" "cannot read $work/does-not-exist"
expect_rc "unknown command" 2 "$schemac" frobnicate
expect_rc "no command" 2 "$schemac"
expect_rc "unknown option" 2 "$schemac" validate --bogus
expect_rc "help" 0 "$schemac" --help

# A database that cannot be reached: one line naming it, never the
# password, exit 3 (nothing listens on port 1).
expect_rc "pull unreachable" 3 "$schemac" pull --db "postgresql://alice:pw-s3cret@127.0.0.1:1/appdb" --out "$work/pulled"
expect_grep "pull names the database" "$work/err" '^schemac pull: cannot connect to database "appdb" on 127\.0\.0\.1 port 1 as user "alice": '
if [ "$(wc -l <"$work/err")" -eq 1 ]; then ok; else bad "pull error is one line"; cat "$work/err"; fi
if grep -q 'pw-s3cret' "$work/err"; then bad "pull error shows the password"; else ok; fi
if [ -e "$work/pulled" ]; then bad "a failed pull wrote files"; else ok; fi
DATABASE_URL="postgresql://127.0.0.1:1/fromenv" expect_rc "pull via DATABASE_URL" 3 "$schemac" pull --out -
expect_grep "DATABASE_URL is used" "$work/err" 'database "fromenv" on 127\.0\.0\.1 port 1'
expect_rc "pull bad option" 2 "$schemac" pull --frobnicate

# The committed generated/ is the compiled form of schema/: compile and
# diff find nothing to do, from schema.lock alone (no server, no parsing).
expect_rc "generated/ is current (diff)" 0 "$schemac" diff --schema "$root/schema" --out "$root/generated"
expect_grep "diff says no changes" "$work/out" '^no changes$'
cp -r "$root/schema" "$work/schema-copy"
cp -r "$root/generated" "$work/generated-copy"
expect_rc "generated/ is current (compile)" 0 "$schemac" compile --schema "$work/schema-copy" --out "$work/generated-copy"
expect_grep "compile says no changes" "$work/out" '^no changes \(the schema files are those schema.lock records'
if diff -r "$root/generated" "$work/generated-copy" >/dev/null; then ok; else bad "compile with no change wrote files"; fi
# gen on files schema.lock records takes the hash of the lock's schema as
# the runtime checks it: the "to schema" of the last migration's header.
expect_rc "gen" 0 "$schemac" gen --schema "$work/schema-copy" --out "$work/generated-copy"
last=$(ls "$root"/generated/migrations/*.up.sql | sort | tail -1)
tohash=$(sed -n 's/^-- to schema *//p' "$last")
expect_grep "gen takes the lock's schema hash" "$work/generated-copy/include/schema.h" "^#define SCHEMAC_SCHEMA_HASH \"$tohash\"$"
expect_rc "gen bad option" 2 "$schemac" gen --frobnicate
# A comment changes a file but not the schema: no changes, and no server
# needed (every table's spellings are in schema.lock's cache).
echo "-- touched" >>"$work/schema-copy/funds.schema"
SCHEMAC_DEV_URL="postgresql://127.0.0.1:1/dev" expect_rc "comment only: cache, no server" 0 "$schemac" compile --schema "$work/schema-copy" --out "$work/generated-copy"
expect_grep "comment only: no changes" "$work/out" '^no changes'
# A new table needs the development server; one that cannot be reached:
# exit 3, one line.
printf 'table extra {\n  id integer primary key\n}\n' >>"$work/schema-copy/funds.schema"
SCHEMAC_DEV_URL="postgresql://127.0.0.1:1/dev" expect_rc "compile without a server" 3 "$schemac" compile --schema "$work/schema-copy" --out "$work/generated-copy"
expect_grep "the server is named" "$work/err" '127\.0\.0\.1 port 1'
expect_rc "compile bad option" 2 "$schemac" compile --frobnicate
expect_rc "compile bad name" 2 "$schemac" compile -m "Bad Name"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
