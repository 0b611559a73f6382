import type { AppContext } from '../../core/app/context.js';

/** Waits for a job and returns its result; a job that does not end done throws, naming its kind, state and error. */
export async function jobResult(ctx: AppContext, jobId: string): Promise<unknown> {
  const end = await ctx.jobs.wait(jobId);
  if (end.state !== 'done') throw new Error(`${end.kind} ${end.state}: ${end.error?.message ?? end.message}`);
  return end.result;
}
