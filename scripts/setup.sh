#!/usr/bin/env bash
# Installs what schemac needs to build and test on Debian, when missing:
# the C toolchain, meson and ninja, libpq, tree-sitter, xxHash, Criterion,
# a PostgreSQL server (schemac's private development server and the tests'
# servers run from its binaries), and the en_US.UTF-8 locale (some schemas
# the tests load use collation "en_US").  With --tests, also npm and the
# squawk-cli linter the lock-safety test runs (installed under
# ~/.cache/schemac-dev, outside the repository).  Uses sudo when not root.
set -euo pipefail

packages=(gcc pkg-config meson ninja-build libpq-dev libtree-sitter-dev libxxhash-dev
          libcriterion-dev postgresql postgresql-client locales)
tests=false
if [ "${1:-}" = "--tests" ]; then
  tests=true
  if ! command -v npm >/dev/null; then packages+=(npm); fi
fi
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The en_US.UTF-8 locale, for PostgreSQL's "en_US" collation in test clusters.
if ! locale -a 2>/dev/null | grep -qix 'en_US.utf8'; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "generating the en_US.UTF-8 locale"
  $sudo localedef -i en_US -f UTF-8 en_US.UTF-8
fi

# squawk, for the lock-safety test (tests/cli/test_squawk.sh looks here).
if $tests; then
  squawk_version=2.66.0
  tools=${SCHEMAC_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/schemac-dev}
  if [ ! -x "$tools/squawk-$squawk_version/node_modules/.bin/squawk" ]; then
    echo "installing squawk-cli $squawk_version into $tools"
    npm install --silent --no-audit --no-fund --prefix "$tools/squawk-$squawk_version" \
      "squawk-cli@$squawk_version" >/dev/null
  fi
fi
