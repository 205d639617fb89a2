// Two tiers run by `npm test`: unit specs next to the code (no Docker, no database) and
// integration tests in each workspace's test/ folder against the real Docker engine and a real
// PostgreSQL. Browser tests live in e2e/ and run under Playwright.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['{apps,packages}/*/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['{apps,packages}/*/test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Two cores: two files at once keeps Docker busy without starving it.
          maxWorkers: 2,
          minWorkers: 1,
        },
      },
    ],
  },
});
