// Browser tests against the real API server (started by global-setup on a random port, serving
// the built web app) and real lab nodes, in the system Chromium.
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './tests',
  // Under CI (CI set, or PRAXIS_FORBID_ONLY from infra/scripts/test.sh) a stray `.only` fails the run.
  forbidOnly: !!(process.env.CI || process.env.PRAXIS_FORBID_ONLY),
  outputDir: './test-results',
  globalSetup: './global-setup.ts',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    viewport: { width: 1200, height: 760 },
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
