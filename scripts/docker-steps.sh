#!/usr/bin/env bash
# What the Dockerfile does, checked: with a Docker engine, builds the image and runs it; without one, runs
# the Dockerfile's steps in a temporary directory instead. Either way the compiled server must answer
# /health with 200 from an install of the production dependencies alone, with no TypeScript tooling, then
# run a model and serve /docs and the UI (check-served.mjs), through the files the bundle finds beside it.
#   scripts/docker-steps.sh        exit status 0 when it did; the last line says which way it went
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pm-docker-steps-XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  # two installs' worth of files take a while to delete: that need not hold up whoever waits for the answer
  rm -rf "$work" >/dev/null 2>&1 &
}
trap cleanup EXIT

log() { printf "== [%3ss] %s\n" "$SECONDS" "$*"; }
npm_quiet=(--prefer-offline --no-audit --no-fund --loglevel=error)

# polls /health on port $1 for up to 60 s
wait_for_health() {
  for _ in $(seq 1 600); do
    if node -e "fetch('http://127.0.0.1:$1/health').then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"; then return 0; fi
    sleep 0.1
  done
  echo "the server did not answer /health with 200 within 60 s" >&2
  return 1
}

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  log "docker build"
  docker build -t process-manager:steps "$repo"
  port=$(free_port)
  container=$(docker run -d --rm -p "127.0.0.1:$port:3007" -e AUTH_DISABLED=true process-manager:steps)
  trap 'docker stop "$container" >/dev/null; cleanup' EXIT
  wait_for_health "$port"
  node "$repo/scripts/check-served.mjs" "http://127.0.0.1:$port"
  log "the image answers /health with 200 (docker)"
  exit 0
fi

# The build stage: the repository's files as `COPY . .` sees them (.dockerignore leaves out node_modules,
# dist and local state), every dependency, and the build of the engine, the server and the UI.
log "build stage in $work/build"
mkdir -p "$work/build"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -P -t "$work/build" 2>/dev/null || true)
cd "$work/build"
npm ci "${npm_quiet[@]}"
npm run build --silent

# The final stage: the production dependencies of the engine and the server alone, then what the build
# stage compiled.
log "final stage in $work/app"
mkdir -p "$work/app/packages/engine" "$work/app/apps/server" "$work/app/apps/web"
cd "$work/app"
cp "$work/build/package.json" "$work/build/package-lock.json" .
for ws in packages/engine apps/server apps/web; do cp "$work/build/$ws/package.json" "$ws/"; done
npm ci --omit=dev --workspace packages/engine --workspace apps/server "${npm_quiet[@]}"
cp -r "$work/build/packages/engine/dist" "$work/build/packages/engine/migrations" packages/engine/
cp -r "$work/build/apps/server/dist" apps/server/
cp -r "$work/build/apps/web/dist" apps/web/

for tool in typescript tsx vite vitest esbuild; do
  if [ -e "node_modules/$tool" ]; then echo "the final stage holds $tool, a build tool" >&2; exit 1; fi
done

log "node apps/server/dist/server.js"
port=$(free_port)
NODE_ENV=production AUTH_DISABLED=true HOST=127.0.0.1 PORT="$port" DATA_DIR="$work/app/data/store" LOG_LEVEL=warn \
  node apps/server/dist/server.js &
server_pid=$!
wait_for_health "$port"
node "$repo/scripts/check-served.mjs" "http://127.0.0.1:$port"
log "the server of the final stage answers /health with 200 (Dockerfile steps without Docker)"
