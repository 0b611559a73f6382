import type { DesignInput, DesignOutput } from './ga.js';

/** One GA run handed to a worker (or run inline); `key` orders results independent of scheduling. */
export interface DesignTask {
  key: number;
  input: DesignInput;
}

export interface DesignTaskResult {
  key: number;
  output: DesignOutput;
}

export interface PoolProgress {
  done: number;
  total: number;
  /** Generations finished summed over all tasks, for a smooth progress bar. */
  generations: number;
  totalGenerations: number;
}

/** Messages between the pool and ga.worker.ts. */
export type ToWorker = { type: 'init'; model: unknown } | { type: 'run'; task: DesignTask };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'generation'; key: number; gen: number }
  | { type: 'done'; result: DesignTaskResult }
  | { type: 'error'; key: number; message: string; name: string };
