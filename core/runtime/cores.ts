import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { workersForBatch } from '../api/train-workers.js';

/**
 * Physical cores of this machine: on Linux the distinct (physical id, core id) pairs of /proc/cpuinfo
 * (a hyperthread sibling adds little to SIMD convolutions, and two gradient workers on one core only
 * contend); elsewhere, or when that file says nothing usable, the logical count Node reports.
 */
export function physicalCores(): number {
  const logical = availableParallelism();
  try {
    const text = readFileSync('/proc/cpuinfo', 'utf8');
    const pairs = new Set<string>();
    let phys = '0';
    for (const line of text.split('\n')) {
      const m = /^(physical id|core id)\s*:\s*(\d+)/.exec(line);
      if (!m) continue;
      if (m[1] === 'physical id') phys = m[2];
      else pairs.add(`${phys}:${m[2]}`);
    }
    return pairs.size > 0 ? Math.min(pairs.size, logical) : logical;
  } catch {
    return logical;
  }
}

/** Default gradient workers on `cores` physical cores: cores − 1, at least 1; for a run's batch at most half of it. */
export function trainWorkersFor(cores: number, batchSize?: number): number {
  const byCores = Math.max(1, cores - 1);
  return batchSize === undefined ? byCores : workersForBatch(byCores, batchSize);
}

/** This machine's default gradient workers (for a run with this batch: at most half of it). */
export function defaultTrainWorkers(batchSize?: number): number {
  return trainWorkersFor(physicalCores(), batchSize);
}

/**
 * Default worker threads for all jobs together (the app-wide cap of core/runtime/worker.ts): logical cores − 1, at
 * least 1, so the thread that serves the UI and the renderer keep a core while a long job runs. A lab that wants
 * every core for its jobs (a PC used only for Ferrolab) sets the cap to the logical cores in Settings.
 */
export function defaultJobThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}
