#!/usr/bin/env bash
# Generated code and the web build: what the server needs besides the images. Both steps are
# skipped when their inputs did not change.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$PRAXIS_ROOT"

# The Prisma client is generated (never committed): regenerate when the schema is newer.
client=packages/db/src/generated/prisma
if [ ! -d "$client" ] || [ prisma/schema.prisma -nt "$client" ]; then
  step "Generating the Prisma client"
  npm run generate -w @praxis/db --silent
  touch "$client"
  done_step
fi

if [ -f apps/web/vite.config.ts ]; then
  stamp=apps/web/dist/.praxis-build
  if [ ! -f "$stamp" ] || [ -n "$(find apps/web/src apps/web/index.html apps/web/vite.config.ts packages/terminal-protocol/src -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    step "Building the web app"
    npm run build -w @praxis/web --silent
    touch "$stamp"
    done_step
  fi
fi
