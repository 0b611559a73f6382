import { readFileSync } from 'node:fs';

const SCHEDSTAT = '/proc/thread-self/schedstat';
const available = (() => {
  try {
    readFileSync(SCHEDSTAT);
    return true;
  } catch {
    return false;
  }
})();

/** Whether threadMs() is CPU time (Linux) rather than wall time. */
export const threadCpuClock = available;

/**
 * This thread's CPU time in ms (Linux: /proc/thread-self/schedstat, nanoseconds on a CPU), so that other work on
 * a shared machine does not land in a single-threaded timing; wall time where that file does not exist.
 * Works in worker threads too (each is an OS thread): data-parallel training times its phases with it.
 */
export function threadMs(): number {
  if (!available) return performance.now();
  return Number(readFileSync(SCHEDSTAT, 'latin1').split(' ')[0]) / 1e6;
}
