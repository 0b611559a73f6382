import { afterAll } from 'vitest';
import { tempContext } from './temp.js';
import { localClient } from '../../core/app/dispatch.js';

/**
 * A test file's app on a temp data folder, reached through the contract as the UI reaches it, disposed after the
 * file; `finished(jobId)` waits for a job and returns its result, throwing with the job's message unless it is done.
 */
export function apiSession() {
  const ctx = tempContext();
  const api = localClient(ctx);
  afterAll(() => ctx.dispose());
  async function finished(jobId: string): Promise<Record<string, number>> {
    const end = await ctx.jobs.wait(jobId);
    if (end.state !== 'done') throw new Error(`job ${end.state}: ${end.message}`);
    return end.result as Record<string, number>;
  }
  return { ctx, api, finished };
}
