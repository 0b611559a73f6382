import type { JobInfo } from '../../../core/api/index';
import { app, onAppEvent, trackJob } from './state.svelte';

const finished = (j: JobInfo | undefined): j is JobInfo => !!j && (j.state === 'done' || j.state === 'failed' || j.state === 'cancelled');

/**
 * Registers a job the UI has just started and resolves with its final JobInfo (done, failed or cancelled),
 * however fast it ended: the one "watch this job to completion" of the renderer. Progress meanwhile is
 * `app.jobs[job.id]`. A queued job is not finished (the watchers this replaces read 'queued' as done).
 */
export function awaitJob(job: JobInfo): Promise<JobInfo> {
  trackJob(job);
  const now = app.jobs[job.id];
  if (finished(now)) return Promise.resolve(now);
  return new Promise((resolve) => {
    const off = onAppEvent((ev) => {
      if (ev.type === 'job' && ev.job.id === job.id && finished(ev.job)) {
        off();
        resolve(ev.job);
      }
    });
  });
}
