import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Which test files need a fresh module graph of their own (vitest's `isolate: true`), and which may share one
 * fork's modules with the files before them (`isolate: false`: vitest.config.ts's `unit` and `e2e` projects).
 *
 * Why: each isolated file re-imports the core (tfjs, its wasm backend, sharp, better-sqlite3, every service) in a
 * fresh graph; measured on 2 cores, 230 short unit files took 200 s isolated and 99 s sharing (import 201 s → 42 s),
 * the whole e2e suite 270 s sharing (import 16 s).
 * A file shares safely when it leaves nothing behind that a later file reads and reads nothing an earlier file
 * left. What breaks that is decided from the file's own text, so a new test that mocks a module or counts tfjs's
 * tensors is isolated without anyone having to list it:
 * - module mocks and spies (`vi.mock`, `vi.spyOn`, …): a module another file imported first is not mocked;
 * - process.env, globalThis, process listeners: they outlive the file;
 * - tfjs's kernel registry and backend (`registerKernel`, `getKernel`, `setBackend`): registered once per process;
 * - tfjs's tensor and byte counts (`tf.memory()`, `numTensors`, `engine()`): other files' tensors count in them.
 */
const NEEDS_OWN_MODULES: readonly RegExp[] = [
  /\bvi\.(mock|doMock|spyOn|stubGlobal|stubEnv|resetModules|useFakeTimers)\b/,
  /process\.env(\.[A-Za-z_]+|\[[^\]]+\])\s*=[^=]/,
  /delete process\.env/,
  /globalThis\.[A-Za-z_]+\s*=[^=]/,
  /process\.on\(/,
  /\b(setBackend|registerKernel|unregisterKernel|getKernel)\b/,
  /tf\.memory\(|\.memory\(\)|numTensors|tf\.engine\(/,
];

/** True when a test file's source does something listed above. */
export function needsOwnModules(source: string): boolean {
  return NEEDS_OWN_MODULES.some((re) => re.test(source));
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return testFiles(path);
    return e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The test files of a suite (test/unit, test/e2e; paths relative to `root`, forward slashes) that run isolated. */
export function isolatedTestFiles(root: string, suite: 'unit' | 'e2e'): string[] {
  return testFiles(join(root, 'test', suite))
    .filter((f) => needsOwnModules(readFileSync(f, 'utf8')))
    .map((f) => relative(root, f).split('\\').join('/'))
    .sort();
}
