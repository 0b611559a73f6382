import { afterAll } from 'vitest';
import { tempContext } from './temp.js';
import { jobResult } from './job-result.js';
import { localClient } from '../../core/app/dispatch.js';
import { toErrorBody, type ApiErrorBody } from '../../core/api/errors.js';

/**
 * A test file's app on a temp data folder, reached through the contract as the UI reaches it, disposed after the
 * file; `finished(jobId)` waits for a job and returns its result, throwing with the job's message unless it is done.
 */
export function apiSession() {
  const ctx = tempContext();
  const api = localClient(ctx);
  afterAll(() => ctx.dispose());
  const finished = async (jobId: string) => (await jobResult(ctx, jobId)) as Record<string, number>;
  return { ctx, api, finished };
}

/** The API error body a contract call was refused with (as IPC/HTTP would carry it); fails when it was not refused. */
export async function refusal(call: () => Promise<unknown>): Promise<ApiErrorBody> {
  try {
    await call();
  } catch (err) {
    return toErrorBody(err);
  }
  throw new Error('the call was not refused');
}
