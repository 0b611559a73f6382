import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildOnce } from './build-once.js';
import { bundleWithWorkers } from './crash-bundle.js';

/**
 * The real CLI (core/cli/run.ts → core/cli/main.ts, with every worker of core/) bundled into plain ESM once per
 * code version, for the tests that start it as a child process (`ferrolab map`, `info`, a Ctrl-C, a SIGKILL).
 * Started through tsx, each child transpiles core/ file by file: ≈ 1 s more CPU per start than the bundle on
 * the 2-core CI machine, and the suite starts about twenty. The code is the same (see crash-bundle.ts).
 *
 * Made under test-output/ (inside the repository, so the bundle finds its package root and node_modules), in a
 * folder keyed by a hash of core/**, this file and crash-bundle.ts: a code change makes a new one. Test files
 * run in parallel processes; the first one builds it under a lock (build-once.ts), the others wait for it.
 */
const ROOT = process.cwd();
const MARKER = '.complete';

let cached: Promise<string> | null = null;

/** Every file under core/ the bundle may inline: the sources and the JSON they import (the phrase catalogs). */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && (e.name.endsWith('.ts') || e.name.endsWith('.json')))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function key(): string {
  const h = createHash('sha256');
  for (const f of tsFiles(join(ROOT, 'core'))) {
    h.update(relative(ROOT, f));
    h.update(readFileSync(f));
  }
  for (const f of ['cli-bundle.ts', 'crash-bundle.ts']) h.update(readFileSync(join(ROOT, 'test', 'helpers', f)));
  return h.digest('hex').slice(0, 16);
}

/** Bundles of other code versions, untouched for an hour (a parallel run may still use a recent one). */
function pruneOld(parent: string, keep: string): void {
  const hourAgo = Date.now() - 3600_000;
  for (const name of readdirSync(parent)) {
    const p = join(parent, name);
    if (p === keep || !name.startsWith('cli-bundle-') || name.endsWith('.lock')) continue;
    try {
      if (statSync(p).mtimeMs < hourAgo) rmSync(p, { recursive: true, force: true });
    } catch {
      // removed by someone else meanwhile
    }
  }
}

async function make(): Promise<string> {
  const parent = join(ROOT, 'test-output');
  mkdirSync(parent, { recursive: true });
  const dir = join(parent, `cli-bundle-${key()}`);
  const { builtHere } = await buildOnce(
    dir,
    MARKER,
    async (work) => {
      await bundleWithWorkers(ROOT, [join(ROOT, 'core', 'cli', 'run.ts')], work, dir);
      writeFileSync(join(work, MARKER), '');
    },
    { timeoutMs: 5 * 60_000 },
  );
  if (builtHere) pruneOld(parent, dir);
  return join(dir, 'core', 'cli', 'run.js');
}

/** The path of the bundled CLI entry: `spawn(process.execPath, [await cliEntry(), ...args])`. */
export function cliEntry(): Promise<string> {
  cached ??= make().catch((e) => {
    cached = null;
    throw e;
  });
  return cached;
}

/**
 * The bundle's folder, which mirrors the repository: `<folder>/core/ml/inference.worker.js` is that worker with
 * all of core/ it imports (what core/runtime/worker.ts starts in tests, see test/global-setup.ts).
 */
export async function cliBundleDir(): Promise<string> {
  return join(await cliEntry(), '..', '..', '..');
}
