import { writeSync } from 'node:fs';

/**
 * Named points between the steps of a write path, where a test stops the real process to prove that a kill
 * or a failure there leaves nothing half-done. Inert in production: each call is one environment lookup and
 * does nothing unless a test set one of these to the point's name —
 *
 * - `FERROLAB_TEST_HOLD_AT=<point>`: prints `ferrolab-test-hold <point>` on stderr and blocks the thread right
 *   there (synchronously: no further JavaScript, no cleanup, no COMMIT) until the test SIGKILLs the process.
 * - `FERROLAB_TEST_FAIL_AT=<point>`: throws there, as any failure between the two steps would.
 *
 * Points: `billet-import:files-in-place` (section folder renamed into place, no row yet), `billet-import:billet-row`
 * (inside the transaction: billet row written, image row not yet), `model-save:files-in-place` (inside the
 * transaction: model folder renamed into place, row not yet committed), `export:written-not-renamed` (a file the user
 * named written in full under its temporary name, not yet renamed over the target: `write-whole.ts`; a folder's set in its temporary folder: `write-folder-whole.ts`).
 */
export function testHook(point: string): void {
  if (process.env.FERROLAB_TEST_FAIL_AT === point) throw new Error(`injected failure at ${point}`);
  if (process.env.FERROLAB_TEST_HOLD_AT === point) {
    writeSync(2, `ferrolab-test-hold ${point}\n`);
    const cell = new Int32Array(new SharedArrayBuffer(4));
    for (;;) Atomics.wait(cell, 0, 0);
  }
}
