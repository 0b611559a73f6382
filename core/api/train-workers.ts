/**
 * The default gradient workers of a data-parallel training run: the machine's default (physical cores − 1), at
 * most half the batch, at least 1. One rule for the core (core/runtime/cores.ts) and the Train view, which shows
 * the count a run will use (a pure module the renderer may run).
 * Why the half: each worker pays a fixed cost per shard, so a shard of one sample wastes it. Measured on 16 cores
 * (paper at 64 px, batch 16, 2026-11-30): 8 workers (2 samples each) 55.9 img/s, 15 workers 48.6; compact 536 / 471.
 */
export function workersForBatch(machineDefault: number, batchSize: number): number {
  return Math.max(1, Math.min(Math.floor(machineDefault), Math.floor(batchSize / 2)));
}
