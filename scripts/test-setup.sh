#!/usr/bin/env bash
# Installs what the tests need when it is missing: Debian packages (.ci/apt/*.txt) and code-server.
# Idempotent and quick when everything is there; `npm test` runs it first.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=$(cat .ci/apt/*.txt | sed 's/#.*//' | tr -s ' \n' '\n' | sort -u)
missing=()
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test-setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "test-setup: missing Debian packages ${missing[*]} (run as root, or install them)" >&2
    exit 1
  fi
fi

sh test/e2e/install-code-server.sh >/dev/null
