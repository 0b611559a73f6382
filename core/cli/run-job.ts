import type { AppContext } from '../app/context.js';
import { ApiError, type ApiErrorCode } from '../api/errors.js';
import type { JobInfo } from '../api/events.js';
import type { CliIo } from './command.js';
import { onInterrupt } from './interrupt.js';

/**
 * Follows a job the CLI started: progress lines (with ETA when the job gives one) on stderr, Ctrl+C
 * cancels the job rather than killing the process mid-write, and the job's failure becomes an ApiError.
 */
export async function followJob(ctx: AppContext, io: CliIo, job: JobInfo): Promise<JobInfo> {
  let last = '';
  const off = ctx.bus.subscribe((ev) => {
    if (ev.type !== 'job' || ev.job.id !== job.id || ev.job.state !== 'running') return;
    const d = ev.job.detail as { etaS?: number } | undefined;
    const eta = typeof d?.etaS === 'number' ? ` (ETA ≤ ${Math.ceil(d.etaS)} s)` : '';
    const line = `${ev.job.progress === null ? '' : `${Math.round(ev.job.progress * 100)}% `}${ev.job.message}${eta}`;
    if (line !== last) io.progress(line);
    last = line;
  });
  const offInterrupt = onInterrupt(() => void ctx.jobs.cancel(job.id));
  try {
    const end = await ctx.jobs.wait(job.id);
    if (end.state === 'failed') throw new ApiError((end.error?.code as ApiErrorCode) ?? 'internal', end.error?.message ?? `${job.label} failed`);
    if (end.state === 'cancelled') throw new ApiError('cancelled', `${job.label} cancelled`);
    return end;
  } finally {
    off();
    offInterrupt();
  }
}
