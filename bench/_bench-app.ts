import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppContext, type AppContext } from '../core/app/context.js';
import { localClient } from '../core/app/dispatch.js';

/**
 * A bench's app on a fresh temp data folder (wasm), reached through the contract as the UI reaches it:
 * `done(jobId)` waits for a job and returns its result, throwing its error unless it ended done;
 * `close()` closes the app and removes the folder.
 */
export function benchApp(name: string): {
  ctx: AppContext;
  api: ReturnType<typeof localClient>;
  done(jobId: string): Promise<unknown>;
  close(): Promise<void>;
} {
  const dir = mkdtempSync(join(tmpdir(), `ferrolab-bench-${name}-`));
  const ctx = createAppContext({ dataDir: dir, shell: 'cli', backend: 'wasm' });
  return {
    ctx,
    api: localClient(ctx),
    async done(jobId) {
      const end = await ctx.jobs.wait(jobId);
      if (end.state !== 'done') throw new Error(`${end.kind} ${end.state}${end.error ? `: ${end.error.message}` : ''}`);
      return end.result;
    },
    async close() {
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
