/**
 * Ctrl+C in the CLI. `main` owns the one SIGINT listener; work that can stop cleanly (a job, the server)
 * registers how to stop with `onInterrupt`. The first Ctrl+C runs those (the job is cancelled, the server
 * closes) and the command then exits 130; with nothing registered, or on a second Ctrl+C, the process exits
 * 130 at once, as it would without a listener (SQLite transactions make that safe).
 */

export const INTERRUPTED_EXIT_CODE = 130;

const stoppers = new Set<() => void>();
let interrupted = false;

/** Registers how to stop the current work on Ctrl+C; returns the unregister function. */
export function onInterrupt(stop: () => void): () => void {
  stoppers.add(stop);
  return () => stoppers.delete(stop);
}

export function wasInterrupted(): boolean {
  return interrupted;
}

function handleSigint(): void {
  if (interrupted || stoppers.size === 0) {
    process.stderr.write('\nferrolab: interrupted\n');
    process.exit(INTERRUPTED_EXIT_CODE);
  }
  interrupted = true;
  process.stderr.write('\nferrolab: stopping (Ctrl+C again to quit at once)\n');
  for (const stop of [...stoppers]) stop();
}

/** Installs the SIGINT listener for one CLI run; the returned function removes it. */
export function installInterruptHandler(): () => void {
  interrupted = false;
  process.on('SIGINT', handleSigint);
  return () => {
    process.off('SIGINT', handleSigint);
  };
}
