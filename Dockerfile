# The process manager server. Build from the repository root: `docker build -t process-manager .`
FROM node:20-slim

WORKDIR /app

# Manifests first, so the dependency layer is rebuilt only when they change; npm ci needs the manifest of
# every workspace the lockfile names, so a new workspace adds its line here.
COPY package.json package-lock.json ./
COPY packages/engine/package.json packages/engine/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
# The server runs its TypeScript through tsx, so nothing is compiled; dev dependencies stay out of the image.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY . .
# The management UI, built into the static files the server serves at /.
RUN npm run build
# Run unprivileged; the embedded store's directory is the only place the server writes to.
RUN mkdir -p /app/data && chown node:node /app/data
USER node

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3007 \
    DATA_DIR=/app/data
EXPOSE 3007
# Only the embedded PGlite store writes here; with DATABASE_URL set it stays empty.
VOLUME ["/app/data"]

# node:20-slim has no curl; Node's own fetch asks /health, which answers 200 once the service is ready.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3007)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# What `npm start` runs, without npm in between: npm exits on SIGTERM without passing it on, so the server
# would be killed instead of closing gracefully. tsx passes the signal on to the server's process.
CMD ["./node_modules/.bin/tsx", "apps/server/src/server.ts"]
