import { existsSync } from 'node:fs';
import { Worker, type TransferListItem } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startWorker } from '../runtime/worker.js';

/**
 * `startWorker` for built code; from TypeScript sources (tests, tsx) the worker registers tsx's ESM
 * loader itself, because `execArgv: ['--import', 'tsx']` does not reach worker threads on Node 20.
 */
export function spawnModuleWorker(url: URL, workerData: unknown, transferList: TransferListItem[] = []): Worker {
  if (existsSync(fileURLToPath(url))) return startWorker(url, { workerData, transferList });
  const ts = pathToFileURL(fileURLToPath(url).replace(/\.js$/, '.ts')).href;
  return new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(ts)}); })`, {
    eval: true,
    workerData,
    transferList,
  });
}
