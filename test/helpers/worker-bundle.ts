import { linkSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { buildOnce } from './build-once.js';
import { cliBundleDir } from './cli-bundle.js';

/**
 * Workers that import a module named only at run time, which a test may point at a TypeScript file: they need
 * tsx, so they start from the sources. The reproduction worker imports its experiments registry from a URL it is
 * given (core/services/experiments/registry-module.ts: the sources' registry, or a test's .ts registry).
 */
export const WORKERS_FROM_SOURCES = ['core/experiments/reproduce.worker.js'];

const MARKER = '.complete';

/**
 * The folder core/runtime/worker.ts starts test workers from (FERROLAB_TEST_WORKER_BUNDLE, see
 * test/global-setup.ts): every bundled worker of the CLI bundle (test/helpers/cli-bundle.ts) but those above,
 * hard-linked at its mirrored path (no copy; the bundle's files keep their own import.meta.url, so a worker they
 * start is found in the CLI bundle). Made once per CLI bundle, i.e. per code version.
 */
export async function workerBundleDir(): Promise<string> {
  const source = await cliBundleDir();
  const dir = `${source}-workers`;
  await buildOnce(
    dir,
    MARKER,
    async (work) => {
      const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.worker.js') ? [join(d, e.name)] : []));
      for (const file of walk(join(source, 'core'))) {
        const rel = relative(source, file).split('\\').join('/');
        if (WORKERS_FROM_SOURCES.includes(rel)) continue;
        mkdirSync(dirname(join(work, rel)), { recursive: true });
        linkSync(file, join(work, rel));
      }
      writeFileSync(join(work, MARKER), '');
    },
    { timeoutMs: 5 * 60_000 },
  );
  return dir;
}
