#!/usr/bin/env bash
# Runs the README's main command (`npm start`) and checks it does its job. When it is a server
# (`cairn serve --demo`), start it on a free data folder, wait for the URL it prints, fetch the UI
# and the API health, then stop it; when it is a one-shot command, run it.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! grep -q '"start": "node bin/cairn.js serve' package.json; then
  npm start
  exit 0
fi
data="$(mktemp -d)"
log="$data/start.log"
# Its own process group, so that stopping it stops the server npm started too; any free port.
CAIRN_DATA="$data" setsid npm start -- --port 0 >"$log" 2>&1 &
pid=$!
trap 'kill -- -"$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT
url=""
for _ in $(seq 1 60); do
  url="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$log" | head -n 1 || true)"
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "smoke: npm start exited early" >&2; exit 1; }
  sleep 1
done
[ -n "$url" ] || { cat "$log"; echo "smoke: no URL printed within 60 s" >&2; exit 1; }
cat "$log"
node -e '
  const url = process.argv[1];
  const check = async (path, want) => {
    const r = await fetch(url + path);
    if (r.status !== 200) throw new Error(`${path}: HTTP ${r.status}`);
    const body = await r.text();
    if (!body.includes(want)) throw new Error(`${path}: no "${want}" in the answer`);
    console.log(`smoke: ${path} 200`);
  };
  await check("/", "<div id=\"root\"");
  await check("/api/health", "ok");
' "$url" 2>&1 || { echo "smoke: the server did not answer as expected" >&2; exit 1; }
