import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';

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

/** Default gradient workers of data-parallel training: physical cores − 1, at least 1. */
export function defaultTrainWorkers(): number {
  return Math.max(1, physicalCores() - 1);
}

/**
 * Default worker threads for all jobs together (the app-wide cap of core/runtime/worker.ts): logical cores − 1, at
 * least 1, so the thread that serves the UI and the renderer keep a core while a long job runs. A lab that wants
 * every core for its jobs (a PC used only for Ferrolab) sets the cap to the logical cores in Settings.
 */
export function defaultJobThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}
