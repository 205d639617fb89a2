#!/usr/bin/env bash
# `npm start`: set up whatever is missing, build the web app when its sources changed, and run
# the Praxis server (http://localhost:${PORT:-8080}).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$PRAXIS_ROOT"
bash infra/scripts/ensure-deps.sh
bash infra/scripts/prepare-app.sh
# The course labs become the sample bank "course" on first start (one open test per lab).
export PRAXIS_SEED_LABS="${PRAXIS_SEED_LABS:-labs}"
# Instructors may import lab folders by path from labs/ only (uploads work from anywhere).
export PRAXIS_IMPORT_ROOT="${PRAXIS_IMPORT_ROOT:-labs}"
step "Starting Praxis on http://localhost:${PORT:-8080}"
exec npx tsx apps/api/src/server.ts
