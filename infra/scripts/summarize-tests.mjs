// Sums the JSON reports of vitest and Playwright into the one line CI reads:
// "N passed, N failed, N skipped". A missing or unreadable report counts as one failure, and so
// does a runner that exited non-zero without any failing test (a crash, an unhandled error).
// Usage: summarize-tests.mjs <report.json>:<exit code> ...
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const arg of process.argv.slice(2)) {
  const [file, rcText] = arg.split(':');
  const rc = Number(rcText ?? 0);
  const failedBefore = failed;
  summarize(file);
  if (rc !== 0 && failed === failedBefore) {
    console.error(`${file}: the runner exited ${rc} without a failing test; counted as one failure`);
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);

function summarize(file) {
  if (!existsSync(file)) {
    if (file.includes('vitest')) {
      console.error(`no report at ${file}`);
      failed += 1;
    }
    return;
  }
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`unreadable report ${file}: ${error.message}`);
    failed += 1;
    return;
  }
  if (file.includes('vitest')) {
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    // A file that failed to load has no tests to count: count it as one failure.
    for (const suite of report.testResults ?? []) {
      if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed += 1;
    }
  } else {
    const s = report.stats ?? {};
    passed += (s.expected ?? 0) + (s.flaky ?? 0);
    failed += s.unexpected ?? 0;
    skipped += s.skipped ?? 0;
    for (const e of report.errors ?? []) {
      console.error(`playwright: ${e.message ?? e}`);
      failed += 1;
    }
  }
}
