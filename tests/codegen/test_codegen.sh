#!/usr/bin/env bash
# The C headers `schemac gen` writes compile: for the example schema, a
# generated 200-table schema and hostile.schema (names C cannot take as
# they are), a small program includes each header (twice, for the include
# guard), sizes every struct and round-trips every enum label through
# _to_string and _from_string; it is built with cc and clang under
# -std=c11 -Wall -Wextra -Werror -pedantic and run.  db/schema_db.c and
# validate/schema_validate.c are compiled (-c) by both compilers under the
# same flags at -O0 and -O2.  Last, the committed generated/ files must be
# what `schemac gen` writes for schema/ with generated/schema.lock.
#
#   test_codegen.sh SCHEMAC GEN_SCHEMA SOURCE_ROOT
set -u
schemac=$1
gen_schema=$2
root=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

compilers=()
for c in cc clang; do
  if command -v "$c" >/dev/null 2>&1; then compilers+=("$c"); else echo "note: $c not found"; fi
done

# check NAME SCHEMA_PATH
check() {
  local name=$1 schema=$2 out="$work/$1"
  if ! "$schemac" gen --schema "$schema" --out "$out" >"$work/gen.out" 2>&1; then
    bad "$name: schemac gen failed"; cat "$work/gen.out"; return
  fi
  ok
  local h="$out/include/schema.h"
  [ -f "$h" ] && ok || { bad "$name: no $h"; return; }
  grep -qE '^#define SCHEMAC_SCHEMA_HASH "[0-9a-f]{32}"$' "$h" && ok || bad "$name: no hash"
  # The same files give the same header.
  "$schemac" gen --schema "$schema" --out "$out.again" >/dev/null 2>&1
  cmp -s "$h" "$out.again/include/schema.h" && ok || bad "$name: header not deterministic"

  local prog="$out/main.c"
  {
    echo '#include "schema.h"'
    echo '#include "schema.h"'
    echo '#include <stdio.h>'
    echo 'int main(void)'
    echo '{'
    echo '    int fails = 0;'
    echo '    size_t size = 0;'
    echo '    const char *s;'
    sed -nE 's/^struct ([a-z0-9_]+) \{$/\1/p' "$h" | grep -v '^schemac_' | while read -r t; do
      echo "    size += sizeof(struct $t);"
    done
    sed -nE 's/^enum ([a-z0-9_]+) \{$/\1/p' "$h" | while read -r e; do
      echo "    for (int i = 0; (s = ${e}_to_string((enum $e)i)) != NULL; i++) {"
      echo "        enum $e v;"
      echo "        if (!${e}_from_string(s, &v) || (int)v != i) {"
      echo "            printf(\"$e: label %d does not round-trip\\n\", i);"
      echo "            fails++;"
      echo "        }"
      echo "    }"
      echo "    {"
      echo "        enum $e v;"
      echo "        if (${e}_from_string(\"no such label \\\\?\", &v) || ${e}_from_string(NULL, &v))"
      echo "            fails++;"
      echo "    }"
    done
    echo '    printf("%zu bytes of structs\n", size);'
    echo '    return fails != 0;'
    echo '}'
  } >"$prog"
  for c in "${compilers[@]}"; do
    if "$c" -std=c11 -Wall -Wextra -Werror -pedantic -I "$out/include" -o "$out/main_$c" "$prog" \
        >"$work/cc.out" 2>&1; then
      ok
      if "$out/main_$c" >"$work/run.out" 2>&1; then ok; else bad "$name: $c program failed"; cat "$work/run.out"; fi
    else
      bad "$name: $c does not compile the header"; head -40 "$work/cc.out"
    fi
    # A translation unit with the header alone (no other include first).
    if echo '#include "schema.h"' | "$c" -std=c11 -Wall -Wextra -Werror -pedantic -fsyntax-only \
        -I "$out/include" -x c - >"$work/cc.out" 2>&1; then
      ok
    else
      bad "$name: $c: the header alone does not compile"; head -40 "$work/cc.out"
    fi
    # The row descriptors and the validators, as an application builds them.
    for f in db/schema_db.c validate/schema_validate.c; do
      [ -f "$out/$f" ] || { bad "$name: no $out/$f"; continue; }
      for opt in -O0 -O2; do
        if "$c" -std=c11 -Wall -Wextra -Werror -pedantic "$opt" -I "$out/include" -I "$root/runtime/include" \
            -c -o "$work/obj.o" "$out/$f" >"$work/cc.out" 2>&1; then
          ok
        else
          bad "$name: $c $opt does not compile $f"; head -40 "$work/cc.out"
        fi
      done
    done
  done
}

check example "$root/schema"
"$gen_schema" 200 >"$work/bench.schema" || bad "gen_schema failed"
check bench200 "$work/bench.schema"
check hostile "$here/hostile.schema"

# hostile.schema: a few names as they must come out.
h="$work/hostile/include/schema.h"
for want in \
  '^enum sch_x3bema_mood \{$' \
  '^    SCH_X3BEMA_MOOD_UPPER_2, /\* .upper. \*/$' \
  '^struct int_3 \{$' \
  '^    char \*\*table; /\* "table" text\[\] \*/$' \
  '^    size_t table_count;$' \
  '^    int32_t table_count_2; /\* table_count integer \*/$' \
  '^#define SCH_X3BEMA_TABLE_COL_UPPER "\\"UPPER\\""$' \
  '^#define SCH_X3BEMA_TABLE_COL_X_X2A_X2F_X20_X2F_X2A_X20_X3F_X3F_X2F_MAXLEN 10$' \
  '^    struct schemac_interval true_2; /\* "true" interval \*/$'; do
  grep -qE -- "$want" "$h" && ok || bad "hostile: no /$want/"
done

# The committed generated/ files are what `schemac gen` writes for schema/
# with generated/schema.lock: they must not go stale.
committed="$work/committed"
mkdir -p "$committed"
cp "$root/generated/schema.lock" "$committed/schema.lock"
if "$schemac" gen --schema "$root/schema" --out "$committed" >"$work/gen.out" 2>&1; then
  ok
  for f in include/schema.h db/schema_db.c validate/schema_validate.c; do
    if cmp -s "$committed/$f" "$root/generated/$f"; then
      ok
    else
      bad "generated/$f is stale: schemac gen --schema schema/ (with generated/schema.lock) writes otherwise"
      diff -u "$root/generated/$f" "$committed/$f" | head -40
    fi
  done
else
  bad "schemac gen on schema/ with generated/schema.lock failed"; cat "$work/gen.out"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
