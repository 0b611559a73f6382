import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startWorker } from '../../../core/runtime/worker.js';
import { WORKERS_FROM_SOURCES } from '../../helpers/worker-bundle.js';

// Tests start core/'s worker threads from the bundle the global setup names (test/global-setup.ts,
// core/runtime/worker.ts bundledWorker) rather than through tsx: it must be there, be used for a worker it holds,
// and never for one it does not hold or one outside the tree it mirrors.
const saved = { bundle: process.env.FERROLAB_TEST_WORKER_BUNDLE, root: process.env.FERROLAB_TEST_WORKER_ROOT };
const made: string[] = [];
const restore = (name: string, value: string | undefined) => (value === undefined ? delete process.env[name] : (process.env[name] = value));
afterEach(() => {
  restore('FERROLAB_TEST_WORKER_BUNDLE', saved.bundle);
  restore('FERROLAB_TEST_WORKER_ROOT', saved.root);
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

function reply(url: URL): Promise<unknown> {
  const w = startWorker(url);
  return new Promise((resolve, reject) => {
    w.once('message', (m) => void w.terminate().then(() => resolve(m)));
    w.once('error', reject);
  });
}

/** A source tree (inside the repository, so that its .ts files are ESM) and a bundle folder mirroring it. */
function trees(): { root: string; bundle: string } {
  mkdirSync(join(process.cwd(), 'test-output'), { recursive: true });
  const base = mkdtempSync(join(process.cwd(), 'test-output', 'worker-bundle-'));
  made.push(base);
  const root = join(base, 'src');
  const bundle = join(base, 'bundle');
  mkdirSync(join(root, 'core', 'x'), { recursive: true });
  mkdirSync(join(bundle, 'core', 'x'), { recursive: true });
  for (const name of ['held', 'not-held']) writeFileSync(join(root, 'core', 'x', `${name}.worker.ts`), `import { parentPort } from 'node:worker_threads';\nparentPort!.postMessage('sources' as string);\n`);
  writeFileSync(join(bundle, 'core', 'x', 'held.worker.js'), `import { parentPort } from 'node:worker_threads';\nparentPort.postMessage('bundle');\n`);
  return { root, bundle };
}

describe('worker threads in tests start from the suite’s bundle', () => {
  it('the global setup names a bundle that holds core/’s workers, mirroring this repository (none when asked for the sources)', () => {
    if (process.env.FERROLAB_TEST_WORKERS_FROM_SOURCES === '1') {
      expect(process.env.FERROLAB_TEST_WORKER_BUNDLE).toBeUndefined();
      return;
    }
    expect(process.env.FERROLAB_TEST_WORKER_ROOT).toBe(process.cwd());
    const bundle = process.env.FERROLAB_TEST_WORKER_BUNDLE!;
    for (const w of ['core/ml/inference.worker.js', 'core/segregation/cnn/train.worker.js', 'core/ml/grad.worker.js', 'core/maps/smooth-field.worker.js']) {
      expect(existsSync(join(bundle, w))).toBe(true);
    }
    // The reproduction worker imports a registry named at run time (a test's is a .ts file): from the sources.
    expect(WORKERS_FROM_SOURCES).toEqual(['core/experiments/reproduce.worker.js']);
    for (const w of WORKERS_FROM_SOURCES) expect(existsSync(join(bundle, w))).toBe(false);
  });

  it('runs the bundled file for a worker the bundle holds, the sources through tsx for one it lacks or when unset', async () => {
    const { root, bundle } = trees();
    const held = pathToFileURL(join(root, 'core', 'x', 'held.worker.js'));
    const notHeld = pathToFileURL(join(root, 'core', 'x', 'not-held.worker.js'));
    process.env.FERROLAB_TEST_WORKER_BUNDLE = bundle;
    process.env.FERROLAB_TEST_WORKER_ROOT = root;
    expect(await reply(held)).toBe('bundle');
    expect(await reply(notHeld)).toBe('sources');
    // a tree the bundle does not mirror
    process.env.FERROLAB_TEST_WORKER_ROOT = join(root, 'core');
    expect(await reply(held)).toBe('sources');
    delete process.env.FERROLAB_TEST_WORKER_BUNDLE;
    process.env.FERROLAB_TEST_WORKER_ROOT = root;
    expect(await reply(held)).toBe('sources');
  });
});
