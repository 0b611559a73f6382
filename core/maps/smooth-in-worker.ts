import { runWorker } from '../runtime/worker.js';
import type { FieldGrid } from './types.js';
import type { SmoothedField, SmoothOptions } from './smooth-field.js';
import type { PostedError } from '../runtime/worker-error.js';

export interface SmoothWorkerInput {
  grid: FieldGrid;
  options: Omit<SmoothOptions, 'check'>;
}

/** The worker's answer (the runWorker protocol). */
export type SmoothWorkerOutput = { type: 'done'; smoothed: SmoothedField | null } | ({ type: 'error' } & PostedError);

/**
 * `smoothGrid` in a worker thread (one slot of the shared worker cap), so the process serving the UI stays
 * responsive; cancelling the signal terminates it (nothing half-done is kept).
 */
export async function smoothGridInWorker(grid: FieldGrid, signal?: AbortSignal, options: SmoothWorkerInput['options'] = {}): Promise<SmoothedField | null> {
  const input: SmoothWorkerInput = { grid, options };
  const done = await runWorker<{ type: 'done'; smoothed: SmoothedField | null }>(new URL('./smooth-field.worker.js', import.meta.url), { workerData: input, signal, what: 'map smoothing' });
  return done.smoothed;
}
