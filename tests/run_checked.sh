#!/usr/bin/env bash
# Runs a test program and fails when a sanitizer reported anything, even
# from a Criterion worker process whose exit status the runner ignores
# (LeakSanitizer reports when a worker exits, after its test has passed).
out=$(mktemp)
"$@" 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
if grep -qE "ERROR: (LeakSanitizer|AddressSanitizer)|runtime error:" "$out"; then
  echo "run_checked: a sanitizer reported an error above"
  rc=1
fi
rm -f "$out"
exit "$rc"
