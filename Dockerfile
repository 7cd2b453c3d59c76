# fhpa's Node server: `docker build -t fhpa .`, then `docker run fhpa serve ...` (the Deployment in infra/k8s passes
# serve's flags as args). test/runtime/image.test.ts runs this file's last stage as written: the files its COPY
# lines bring in, the deps stage's `npm ci`, and its ENTRYPOINT with CMD (or the args given instead).

# Build: plain JavaScript for the CLI and server into dist/ (esbuild; dependencies stay external).
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

# Production dependencies only: no tsx, TypeScript or other dev dependency reaches the image.
FROM node:22-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# Runtime: distroless Node 22 (no shell, no package manager), uid 65532, nothing written to the root
# filesystem (the embedded store keeps history in memory). Node is PID 1 and fhpa handles SIGTERM and SIGINT
# itself: in-flight requests finish, then it exits 0.
FROM gcr.io/distroless/nodejs22-debian12:nonroot AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist/fhpa.mjs ./dist/fhpa.mjs
COPY --from=build /app/dist/chunks ./dist/chunks
USER 65532:65532
EXPOSE 8443
ENTRYPOINT ["/nodejs/bin/node", "/app/dist/fhpa.mjs"]
CMD ["serve"]
