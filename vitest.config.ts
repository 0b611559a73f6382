import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Vitest's default is one worker less than the cores: ONE on the 2-core CI machine, so the unit files ran one
// after the other, mostly on one core. Two forks there; elsewhere the default. Each fork's CNN training takes one worker thread
// (core/runtime/worker.ts caps threads at cores − 1 per process), so two forks fill two cores, no more.
const unitWorkers = Math.max(2, availableParallelism() - 1);

// Two projects: fast unit/integration tests in parallel, and end-to-end tests (real Chromium) one file at a time.
export default defineConfig({
  test: {
    // Here rather than in the unit project so that `--maxWorkers=N` still overrides it; the e2e project runs
    // one file at a time whatever this says (fileParallelism: false).
    maxWorkers: unitWorkers,
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
