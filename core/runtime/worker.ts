import { Worker, type WorkerOptions } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Starts a worker thread from a module next to the caller. Compiled code (dist/, Electron) runs the
 * .js file; tests and `tsx` run from TypeScript sources, so the .ts file is loaded through tsx.
 *   startWorker(new URL('./train.worker.js', import.meta.url), { workerData })
 */
export function startWorker(url: URL, opts: WorkerOptions = {}): Worker {
  const js = fileURLToPath(url);
  if (existsSync(js)) return new Worker(url, opts);
  const ts = js.replace(/\.js$/, '.ts');
  if (!existsSync(ts)) throw new Error(`worker module not found: ${js}`);
  return new Worker(pathToFileURL(ts), { ...opts, execArgv: [...(opts.execArgv ?? []), '--import', 'tsx'] });
}
