#!/usr/bin/env bash
# One command on a fresh machine: set up, then run every test: type checks, the linter and
# formatter check (Biome), the import rules (dependency-cruiser), unit tests,
# integration tests (real PostgreSQL, FFmpeg, festival, flite, espeak-ng, pocketsphinx,
# fluidsynth), Playwright in Chromium, the offline voices' bench, and the two
# container images, built and run (scripts/check-images.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
AURA_WITH_CHROMIUM=1 AURA_WITH_TEST_TOOLS=1 bash scripts/setup.sh
echo "[test] type checks"
npm run --silent typecheck
echo "[test] lint and format check (Biome)"
npm run --silent lint
echo "[test] import rules (dependency-cruiser: no circles, layers kept apart)"
npm run --silent lint:imports
echo "[test] unit tests"
npm run --silent test:unit
echo "[test] integration tests"
npm run --silent test:integration
echo "[test] end-to-end tests (Chromium)"
npm run --silent test:e2e
# The offline voices' figures in the README come from this bench: it prints them on every run.
echo "[test] benchmark: offline voices (word error rate, speed, alignment error)"
npm run --silent bench:voices
echo "[test] container images (built with buildah, run as containers)"
bash scripts/check-images.sh
