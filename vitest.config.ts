import { defineConfig } from 'vitest/config';

// Two projects: fast unit/integration tests in parallel, and end-to-end tests (real Chromium) one file at a time.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 180_000,
          // expect.poll's own default (1 s) is shorter than a UI update on a busy machine; this matches
          // Playwright's 30 s default for locators. A poll that holds returns at once either way.
          expect: { poll: { timeout: 30_000 } },
          pool: 'forks',
          fileParallelism: false,
          // Every file opens its own app on its own data folder (test/helpers/browser.ts); running the
          // files in a random order each time keeps it so. A failing order is replayed with
          // `--sequence.seed=<seed printed by vitest>`.
          sequence: { shuffle: { files: true, tests: false } },
        },
      },
    ],
  },
});
