#!/bin/sh
# Installs code-server 4.100.3 (a real VS Code 1.100.3 that runs on Node 20) into .vscode-test/ for the e2e tests.
# Usage: sh test/e2e/install-code-server.sh [DIR]   (default .vscode-test/code-server, relative to the repo root)
# Needs the apt packages in .ci/apt/e2e.txt (chromium, libkrb5-dev, ripgrep) and the npm registry.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${1:-"$ROOT/.vscode-test/code-server"}
VERSION=4.100.3

if [ -x "$DIR/node_modules/.bin/code-server" ] && "$DIR/node_modules/.bin/code-server" --version 2>/dev/null | grep -q "^$VERSION"; then
  echo "code-server $VERSION already in $DIR"; exit 0
fi

# kerberos (a native dep of the VS Code server) needs the gssapi headers; @vscode/ripgrep needs an rg binary
if ! command -v rg >/dev/null || [ ! -f /usr/include/gssapi/gssapi.h ]; then
  echo "missing apt packages: run apt-get install -y \$(cat .ci/apt/e2e.txt)" >&2; exit 1
fi

# @vscode/ripgrep's postinstall downloads rg from GitHub (offline here): pre-seed its download cache with Debian's rg
case "$(uname -m)" in
  x86_64) TRIPLE=x86_64-unknown-linux-musl ;;
  aarch64) TRIPLE=aarch64-unknown-linux-musl ;;
  *) TRIPLE=$(uname -m)-unknown-linux-gnu ;;
esac
RGC="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
mkdir -p "$RGC"
T=$(mktemp -d)
cp "$(command -v rg)" "$T/rg"
tar czf "$RGC/ripgrep-v13.0.0-10-$TRIPLE.tar.gz" -C "$T" rg
rm -rf "$T"

mkdir -p "$DIR"
cd "$DIR"
[ -f package.json ] || echo '{"private":true}' > package.json
# npm 11: code-server's install checks for unsafe-perm when run as root; yes=true lets node-pty's `npx node-gyp` run
npm_config_unsafe_perm=true npm_config_yes=true npm install --no-audit --no-fund "code-server@$VERSION"
XDG_CONFIG_HOME=$(mktemp -d) "$DIR/node_modules/.bin/code-server" --version
