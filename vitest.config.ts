// The two vitest tiers of the three `npm test` runs: unit specs next to the code
// (`{apps,packages}/*/src/**/*.test.ts`: no Docker, no database, at most temporary files) and
// integration tests in each workspace's test/ folder against the real Docker engine and a real
// PostgreSQL. The third, browser tests, lives in e2e/ and runs under Playwright.
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * vitest's own order (failed, then longest last time, else the largest file first), except that
 * the cluster labs' authoring tests (two halves) start first: they are small files that run for
 * half an hour each, and on a fresh clone (no timings yet) vitest would start them last.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (f: TestSpecification) => /course-labs-cluster-[ab]\.test\.ts$/.test(f.moduleId);
    return [...sorted.filter(first), ...sorted.filter((f) => !first(f))];
  }
}

// Under CI (CI set, or PRAXIS_FORBID_ONLY from infra/scripts/test.sh, which `npm test` runs) a
// stray `.only` fails the run instead of quietly skipping every other test.
const allowOnly = !(process.env.CI || process.env.PRAXIS_FORBID_ONLY);

export default defineConfig({
  test: {
    allowOnly,
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        test: {
          name: 'unit',
          allowOnly,
          sequence: { groupOrder: 0 },
          include: ['{apps,packages}/*/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          allowOnly,
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
