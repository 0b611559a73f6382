import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { LongestFirstSequencer } from './test/longest-first-sequencer.js';
import { isolatedTestFiles } from './test/isolated-files.js';

// Vitest's default is one worker less than the cores: ONE on the 2-core CI machine, so the unit files ran one
// after the other, mostly on one core. Two forks there; elsewhere the default. Each fork's CNN training takes one worker thread
// (core/runtime/worker.ts caps threads at cores − 1 per process), so two forks fill two cores, no more.
const unitWorkers = Math.max(2, availableParallelism() - 1);

// The files of each suite share a fork's modules (isolate: false) unless their text, or a test helper they import,
// says they must not (module mocks, process.env, tfjs's kernel registry or tensor counts: test/isolated-files.ts);
// those run isolated, in a project of their own. The root: vite loads this config bundled elsewhere, but keeps import.meta.url the file's own.
const root = fileURLToPath(new URL('.', import.meta.url));

const suites = {
  // unit and integration tests
  unit: { testTimeout: 120_000, hookTimeout: 120_000 },
  // end-to-end tests (real Chromium). expect.poll's own default (1 s) is shorter than a UI update on a busy machine;
  // this matches Playwright's 30 s default for locators. A poll that holds returns at once either way.
  e2e: { testTimeout: 300_000, hookTimeout: 180_000, expect: { poll: { timeout: 30_000 } } },
} as const;

/** A suite's two projects: its files that share modules (named as the suite) and those that run isolated. */
function projects(suite: keyof typeof suites): TestProjectInlineConfiguration[] {
  const isolated = isolatedTestFiles(root, suite);
  const common = { ...suites[suite], environment: 'node', globalSetup: ['test/global-setup.ts'], pool: 'forks' as const };
  return [
    { test: { ...common, name: suite, include: [`test/${suite}/**/*.test.ts`], exclude: isolated, isolate: false } },
    // kept when empty (no file matches an empty include): `npm run test:unit` / `test:e2e` name it
    { test: { ...common, name: `${suite}-isolated`, include: isolated } },
  ];
}

// Unit/integration tests and end-to-end tests (real Chromium), four projects in ONE queue of files that both
// forks take from, longest first (test/longest-first-sequencer.ts). The e2e files used to run one at a time
// after every unit file (fileParallelism: false puts a project in a group of its own, run last): ≈ 150 s on
// the 2-core CI machine in which one e2e file kept about one core busy and the other mostly waited. Every e2e
// file opens its own app, server and browser profile on its own data folder (test/helpers/browser.ts), so two
// may run side by side, or beside a unit file.
export default defineConfig({
  test: {
    // Here rather than in a project so that `--maxWorkers=N` still overrides it (the projects must have the same
    // number of workers to share one queue).
    maxWorkers: unitWorkers,
    sequence: { sequencer: LongestFirstSequencer },
    projects: [...projects('unit'), ...projects('e2e')],
  },
});
