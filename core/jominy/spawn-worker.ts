import { Worker, type WorkerOptions } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startWorker } from '../runtime/worker.js';

/**
 * `startWorker` for built code (dist/, Electron). From TypeScript sources (vitest, tsx) the worker
 * registers tsx's ESM loader itself: `execArgv: ['--import', 'tsx']` does not reach worker threads
 * on Node 20 ("Unknown file extension .ts").
 */
export function spawnWorker(url: URL, opts: WorkerOptions = {}): Worker {
  if (existsSync(fileURLToPath(url))) return startWorker(url, opts);
  const ts = pathToFileURL(fileURLToPath(url).replace(/\.js$/, '.ts')).href;
  return new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(ts)}); })`, { ...opts, eval: true });
}
