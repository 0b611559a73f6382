import { describe, expect, it } from 'vitest';
import { EventBus, JobManager } from '../../../core/jobs/index.js';
import type { ApiEvent, JobInfo } from '../../../core/api/events.js';
import { phrase } from '../../../core/api/phrase.js';
import { toErrorBody } from '../../../core/api/errors.js';
import { RefusedError } from '../../../core/runtime/refused.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';

function setup() {
  const bus = new EventBus();
  const events: JobInfo[] = [];
  bus.subscribe((ev: ApiEvent) => {
    if (ev.type === 'job') events.push(ev.job);
  });
  return { jobs: new JobManager(bus, 0), events };
}

describe('JobManager', () => {
  it('returns at once, reports progress, and ends done with the result', async () => {
    const { jobs, events } = setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const started = jobs.start('test', 'sum', async (ctl) => {
      await gate;
      ctl.progress(0.5, 'half', { step: 1 });
      return 42;
    });
    expect(started.state).toBe('running');
    release();
    const end = await jobs.wait(started.id);
    expect(end).toMatchObject({ state: 'done', progress: 1, result: 42 });
    expect(events.map((e) => e.state)).toEqual(['running', 'running', 'done']);
    expect(events[1]).toMatchObject({ progress: 0.5, message: 'half', detail: { step: 1 } });
  });

  it('cancels through the AbortSignal and ends "cancelled", not "failed"', async () => {
    const { jobs } = setup();
    let iterations = 0;
    const job = jobs.start('test', 'loop', async (ctl) => {
      for (;;) {
        ctl.throwIfCancelled();
        iterations++;
        if (iterations === 3) jobs.cancel(job.id);
        await Promise.resolve();
      }
    });
    const end = await jobs.wait(job.id);
    expect(end.state).toBe('cancelled');
    expect(iterations).toBe(3);
  });

  it('records failures with their message', async () => {
    const { jobs } = setup();
    const job = jobs.start('test', 'bad', async () => {
      throw new Error('image is truncated');
    });
    const end = await jobs.wait(job.id);
    expect(end).toMatchObject({ state: 'failed', error: { code: 'internal', message: 'image is truncated' } });
    expect(() => jobs.get('nope')).toThrow(/does not exist/);
  });
});

describe('JobManager: messages as codes (issue 15)', () => {
  it('a progress phrase reaches the UI as its code and the CLI as its English words; a plain string drops the code', async () => {
    const { jobs, events } = setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const job = jobs.start('test', 'words', async (ctl) => {
      await gate;
      ctl.progress(0.5, phrase('jobs.notFound', { id: 'x1' }));
      ctl.progress(0.6, 'plain words');
      return 1;
    });
    expect(job).toMatchObject({ message: 'starting', phrase: { code: 'jobs.starting', params: {} } });
    release();
    await jobs.wait(job.id);
    const half = events.find((e) => e.progress === 0.5)!;
    expect(half.message).toBe('job x1 does not exist');
    expect(half.phrase).toEqual({ code: 'jobs.notFound', params: { id: 'x1' } });
    expect(events.find((e) => e.progress === 0.6)!.phrase).toBeUndefined();
  });

  it('a job that fails with a worded error carries its code in the error and the message', async () => {
    const { jobs } = setup();
    const job = jobs.start('test', 'fails', async () => {
      throw RefusedError.said('failed_precondition', phrase('jobs.notFound', { id: 'gone' }));
    });
    const end = await jobs.wait(job.id);
    expect(end.state).toBe('failed');
    expect(end.error).toEqual({ code: 'failed_precondition', message: 'job gone does not exist', phrase: { code: 'jobs.notFound', params: { id: 'gone' } } });
    expect(end.phrase).toEqual(end.error!.phrase);
  });

  it('an unknown job id is refused with the code the interface words', () => {
    const { jobs } = setup();
    let body: ReturnType<typeof toErrorBody> | null = null;
    try {
      jobs.get('nope');
    } catch (err) {
      body = toErrorBody(err);
    }
    expect(body).toEqual({ code: 'not_found', message: 'job nope does not exist', phrase: { code: 'jobs.notFound', params: { id: 'nope' } } });
    expect(reportPhraser('it')(body!.phrase)).toBe('il processo nope non esiste');
  });
});
