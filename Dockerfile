# The process manager server, compiled. Build from the repository root: `docker build -t process-manager .`
# scripts/docker-steps.sh checks these steps (with Docker, or by running them without it).

# Build stage: every dependency, then the engine compiled, the server bundled into one file (with what it
# imports from the engine's build and node_modules) and the management UI built, each into its dist/.
FROM node:20-slim AS build
WORKDIR /app
# Manifests first, so the dependency layer is rebuilt only when they change; npm ci needs the manifest of
# every workspace the lockfile names, so a new workspace adds its line here and below.
COPY package.json package-lock.json ./
COPY packages/engine/package.json packages/engine/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Final stage: the production dependencies of the engine and the server alone (no TypeScript, no Vite, no
# esbuild), and what the build stage compiled. The bundle still needs them and the engine's dist/ and
# migrations/: it leaves a few packages out (the database drivers, the tracing SDK), and the modules in
# it find their files (migrations, worker threads, assets) where they were bundled from.
FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY packages/engine/package.json packages/engine/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
RUN npm ci --omit=dev --workspace packages/engine --workspace apps/server --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/packages/engine/dist packages/engine/dist
COPY --from=build /app/packages/engine/migrations packages/engine/migrations
COPY --from=build /app/apps/server/dist apps/server/dist
COPY --from=build /app/apps/web/dist apps/web/dist
# Run unprivileged; the embedded store's directory is the only place the server writes to.
RUN mkdir -p /app/data && chown node:node /app/data
USER node

ENV HOST=0.0.0.0 \
    PORT=3007 \
    DATA_DIR=/app/data
EXPOSE 3007
# Only the embedded PGlite store writes here; with DATABASE_URL set it stays empty.
VOLUME ["/app/data"]

# node:20-slim has no curl; Node's own fetch asks /health, which answers 200 once the service is ready.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3007)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# node itself, not npm, so that SIGTERM reaches the server, which then closes gracefully.
CMD ["node", "apps/server/dist/server.js"]
