# Aura's web app and built-in workflow engine (scripts/launch.ts starts both; with
# DATABASE_URL and RENDER_WORKER_URL set it starts no PostgreSQL and no render worker).
ARG NODE_IMAGE=node:20-bookworm
FROM ${NODE_IMAGE}
# The Noto fonts draw the cards in every script Aura speaks, and the check before the render
# finds a character none of them covers (fontconfig's tools); CJK is ~90 MB of the ~145 MB.
RUN apt-get update \
 && apt-get install -y --no-install-recommends espeak-ng ffmpeg fonts-dejavu-core procps \
      festival festvox-us-slt-hts flite pocketsphinx pocketsphinx-en-us openclipart-svg \
      fontconfig fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/aura
# Packages first, from the lockfile, so that a change to the code reuses this layer.
COPY package.json package-lock.json ./
COPY packages/render-contract/package.json packages/render-contract/
COPY packages/object-store/package.json packages/object-store/
COPY render-worker/package.json render-worker/
RUN PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
COPY . .
RUN npm run db:generate \
 && NEXT_TELEMETRY_DISABLED=1 npm run build
RUN useradd --system --uid 10001 --create-home aura \
 && mkdir -p /data/storage /opt/aura/.data \
 && chown -R aura /data /opt/aura/.data /opt/aura/.next
USER aura
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    STORAGE_DIR=/data/storage \
    PORT=3000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/sign-in').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--import", "tsx", "scripts/launch.ts"]
