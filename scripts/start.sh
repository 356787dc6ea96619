#!/usr/bin/env bash
# One command on a fresh machine: set up, then run Aura on its embedded default
# (own PostgreSQL, built-in engine, local render worker, offline providers).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec npm start
