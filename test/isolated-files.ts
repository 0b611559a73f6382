import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

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
 * - tfjs's tensor and byte counts (`tf.memory()`, `numTensors`, `engine()`): other files' tensors count in them;
 * - the last two also when a helper of test/ that the file imports does them.
 */
const NEEDS_OWN_MODULES: readonly RegExp[] = [
  /\bvi\.(mock|doMock|spyOn|stubGlobal|stubEnv|resetModules|useFakeTimers)\b/,
  /process\.env(\.[A-Za-z_]+|\[[^\]]+\])\s*=[^=]/,
  /delete process\.env/,
  /globalThis\.[A-Za-z_]+\s*=[^=]/,
  /process\.on\(/,
];

/**
 * tfjs's process-wide state, whether the test file or a helper of test/ it imports touches it: a helper that starts a
 * backend with tf.setBackend (test/unit/ml/setup-backends.ts, test/helpers/webgpu.ts) leaves it the process's backend,
 * behind core/ml/backend.ts's back, and a later file's Grad-CAM ran on WebGPU (measured: it failed there).
 */
const TOUCHES_TFJS_GLOBALS: readonly RegExp[] = [/\b(setBackend|registerKernel|unregisterKernel|getKernel)\b/, /tf\.memory\(|\.memory\(\)|numTensors|tf\.engine\(/];

/** True when a test file's source does something listed above. */
export function needsOwnModules(source: string): boolean {
  return [...NEEDS_OWN_MODULES, ...TOUCHES_TFJS_GLOBALS].some((re) => re.test(source));
}

/** The files of test/ (helpers, not node_modules or the core) that a file imports, and theirs, by relative path. */
function testHelpersOf(file: string, testRoot: string, seen = new Set<string>()): string[] {
  for (const m of readFileSync(file, 'utf8').matchAll(/from\s+'(\.{1,2}\/[^']+)'/g)) {
    const path = resolve(dirname(file), m[1]).replace(/\.js$/, '.ts');
    if (!path.startsWith(testRoot) || seen.has(path) || !existsSync(path)) continue;
    seen.add(path);
    testHelpersOf(path, testRoot, seen);
  }
  return [...seen];
}

/** A test file needs its own modules: by its own text, or by a test helper it imports that touches tfjs's globals. */
function fileNeedsOwnModules(file: string, testRoot: string): boolean {
  if (needsOwnModules(readFileSync(file, 'utf8'))) return true;
  return testHelpersOf(file, testRoot).some((h) => TOUCHES_TFJS_GLOBALS.some((re) => re.test(readFileSync(h, 'utf8'))));
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
    .filter((f) => fileNeedsOwnModules(f, join(root, 'test')))
    .map((f) => relative(root, f).split('\\').join('/'))
    .sort();
}
