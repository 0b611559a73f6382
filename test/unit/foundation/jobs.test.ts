import { describe, expect, it } from 'vitest';
import { EventBus, JobManager } from '../../../core/jobs/index.js';
import type { ApiEvent, JobInfo } from '../../../core/api/events.js';

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
