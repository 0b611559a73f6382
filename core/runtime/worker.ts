import { Worker, type WorkerOptions } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Starts a worker thread from a module next to the caller:
 *   startWorker(new URL('./train.worker.js', import.meta.url), { workerData })
 * Compiled code (dist/, Electron) runs the .js file. Tests and `tsx` run from TypeScript sources, where
 * only the .ts file exists: the worker then registers tsx's ESM loader itself before importing it,
 * because `execArgv: ['--import', 'tsx']` does not reach worker threads on Node 20.
 */
export function startWorker(url: URL, opts: WorkerOptions = {}): Worker {
  const js = fileURLToPath(url);
  if (existsSync(js)) return new Worker(url, opts);
  const ts = js.replace(/\.js$/, '.ts');
  if (!existsSync(ts)) throw new Error(`worker module not found: ${js}`);
  const tsUrl = JSON.stringify(pathToFileURL(ts).href);
  const loader = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return new Worker(`import(${loader}).then((m) => { m.register(); return import(${tsUrl}); })`, { ...opts, eval: true });
}
