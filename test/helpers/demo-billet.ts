import type { AppContext } from '../../core/app/context.js';
import { localClient } from '../../core/app/dispatch.js';
import { jobResult } from './job-result.js';

/**
 * Loads the synthetic demo billet (base variant) into the context's data folder through the contract, as the UI
 * does, and returns its id; a job that does not end done throws with its error.
 */
export async function demoBilletIn(ctx: AppContext, opts: { seed: number; sizePx: number }): Promise<number> {
  const job = await localClient(ctx)['billets.loadDemo']({ seed: opts.seed, variant: 'base', sizePx: opts.sizePx });
  return ((await jobResult(ctx, job.id)) as { billetId: number }).billetId;
}
