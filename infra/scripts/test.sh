#!/usr/bin/env bash
# `npm test`: set up everything the tests need (Docker engine, images, database, Chromium), run
# every suite (unit, integration, browser) and end with one line "N passed, N failed, N skipped".
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$PRAXIS_ROOT"
set -e
bash infra/scripts/ensure-deps.sh --browser --balancer
bash infra/scripts/prepare-app.sh
set +e
# The whole suite runs: a `.only` left in a test file fails it (vitest.config.ts, playwright.config.ts).
export PRAXIS_FORBID_ONLY=1
mkdir -p .praxis
rm -f .praxis/vitest.json .praxis/playwright.json

step "Unit and integration tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=.praxis/vitest.json
vitest_rc=$?
done_step

playwright_rc=0
if [ -f e2e/playwright.config.ts ]; then
  step "Browser tests (Playwright, Chromium)"
  (cd e2e && PLAYWRIGHT_JSON_OUTPUT_NAME=../.praxis/playwright.json npx playwright test --reporter=list,json)
  playwright_rc=$?
  done_step
fi

node infra/scripts/summarize-tests.mjs ".praxis/vitest.json:$vitest_rc" ".praxis/playwright.json:$playwright_rc" | tee .praxis/summary.txt
[ $vitest_rc -eq 0 ] && [ $playwright_rc -eq 0 ]
