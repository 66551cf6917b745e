# syntax=docker/dockerfile:1
# drover's image: one image for `drover scheduler` (the default) and `drover webhook`.
#   docker build -t drover:0.1.0 .
#   docker run --rm drover:0.1.0 version
# Two stages: the build stage compiles the TypeScript and drops the dev dependencies; the runtime stage
# gets only what runs (dist/, bin/, the production node_modules, package.json, config/, and the built
# browser UI in ui/web/dist, which the scheduler serves on its REST port) and runs as a
# numeric non-root user, so Kubernetes can verify runAsNonRoot. test/helm-dockerfile.test.ts checks it.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
# Dependencies first, so this layer is reused while only sources change. --ignore-scripts: the
# `prepare` script (the build) needs the sources, which come next; no dependency needs an install script.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
# The same user as distroless' "nonroot" (65532), so the chart's runAsUser fits either base.
RUN groupadd --system --gid 65532 nonroot \
 && useradd --system --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin nonroot
WORKDIR /app
# Owned by root and not writable by the user: the root filesystem is read-only in the chart anyway.
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/bin ./bin
COPY --from=build /src/config ./config
# The browser UI `npm run build` makes (vite); ui/server.ts looks for it here, beside package.json.
COPY --from=build /src/ui/web/dist ./ui/web/dist
USER 65532:65532
# 9080 REST API and UI, 9081 health (scheduler); 9089 the webhook (HTTPS).
EXPOSE 9080 9081 9089
ENTRYPOINT ["node", "bin/drover"]
CMD ["scheduler"]
