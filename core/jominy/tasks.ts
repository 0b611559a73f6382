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
