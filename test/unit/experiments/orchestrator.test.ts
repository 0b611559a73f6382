import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempContext } from '../../helpers/temp.js';
import { demoBilletIn } from '../../helpers/demo-billet.js';
import { localClient } from '../../../core/app/dispatch.js';
import type { AppContext } from '../../../core/app/context.js';
import type { JobInfo } from '../../../core/api/events.js';
import type { ReproductionJobResult } from '../../../core/services/experiments/index.js';
import { createExperimentRunsRepo } from '../../../core/store/repos/experiment-runs-repo.js';
import { markInterruptedWork } from '../../../core/app/interrupted-work.js';
import { parsePdf } from '../report/helpers.js';

// The orchestrator with the test registry (test/helpers/experiments-registry-fixture.ts) in its worker: storage,
// checkpointed units, resume after a failure, interrupted runs, and the report's HTML and PDF.
const FIXTURE = resolve('test/helpers/experiments-registry-fixture.ts');
let ctx: AppContext & { dispose: () => Promise<void> };
let api: ReturnType<typeof localClient>;
let billetId: number;

beforeAll(async () => {
  process.env.FERROLAB_TEST_EXPERIMENTS_REGISTRY = FIXTURE;
  ctx = tempContext();
  api = localClient(ctx);
  billetId = await demoBilletIn(ctx, { seed: 3, sizePx: 400 });
}, 300_000);

afterAll(async () => {
  delete process.env.FERROLAB_TEST_EXPERIMENTS_REGISTRY;
  delete process.env.FERROLAB_TEST_EXPERIMENT_FAIL_AT;
  await ctx?.dispose();
});

const end = (job: JobInfo) => ctx.jobs.wait(job.id);

describe('reproduction runs', () => {
  let runId: number;

  it('a run that fails at its 3rd of 4 units keeps the 2 finished; the resume computes only the other 2', async () => {
    process.env.FERROLAB_TEST_EXPERIMENT_FAIL_AT = '3';
    const first = await end(await api['experiments.start']({ kind: 'segregation', billetIds: [billetId], budget: 'quick', seed: 5 }));
    delete process.env.FERROLAB_TEST_EXPERIMENT_FAIL_AT;
    expect(first.state).toBe('failed');
    expect(first.error?.message).toContain('injected failure at unit 3');
    const runs = await api['experiments.list']({});
    runId = runs[0].id;
    expect(runs[0].state).toBe('failed');
    expect(runs[0].unitsDone).toBe(2);
    expect(runs[0].resultsDone).toBe(0);
    expect(runs[0].synthetic).toBe(true);
    expect(runs[0].fingerprint).toMatch(/^[0-9a-f]{64}$/);
    // The fixture states 2 s; the worker scales it by a training step measured on this machine (runner.test.ts).
    expect(Number.isInteger(runs[0].estimateS)).toBe(true);

    const second = await end(await api['experiments.resume']({ id: runId }));
    expect(second.state).toBe('done');
    const r = second.result as ReproductionJobResult;
    expect(r.unitsReused).toBe(2);
    expect(r.unitsComputed).toBe(2);
    expect(ctx.services.experiments.unitsByAttempt(runId)).toEqual({ 1: 2, 2: 2 });
    const detail = await api['experiments.get']({ id: runId });
    expect(detail.state).toBe('done');
    expect(detail.attempt).toBe(2);
    expect(detail.experiments).toEqual(['units-4']);
    // The experiment itself counted 2 computes in the resuming thread: nothing that finished was recomputed.
    expect(detail.results[0].settings.computedHere).toBe(2);
    expect(detail.results[0].settings.size).toBe(32);
    expect(detail.reportFiles).toEqual({ html: `reports/experiments/run-${runId}/reproduction-report.html`, pdf: `reports/experiments/run-${runId}/reproduction-report.pdf` });
    await expect(api['experiments.resume']({ id: runId })).rejects.toThrow(/done: nothing to resume/);
  }, 300_000);

  it('the report says every table’s measured and paper values, the fingerprint, seed and SYNTHETIC banner (HTML and PDF)', async () => {
    const detail = await api['experiments.get']({ id: runId });
    const html = readFileSync(join(ctx.paths.root, detail.reportFiles!.html), 'utf8');
    const pdf = parsePdf(readFileSync(join(ctx.paths.root, detail.reportFiles!.pdf))).text.join('\n');
    const t = detail.results[0].tables;
    const c0 = (t[0].rows[0].cells.carbon as number).toFixed(4);
    const c1 = (t[0].rows[1].cells.carbon as number).toFixed(4);
    const g = (t[1].rows[0].cells.grey as number).toFixed(2);
    for (const text of [html, pdf]) {
      expect(text).toContain('SYNTHETIC DATA');
      expect(text).toContain(c0);
      expect(text).toContain(c1);
      expect(text).toContain(g);
      expect(text).toContain('paper 0.4321');
      expect(text).toContain('paper 1.4321');
      expect(text).toContain('paper 111.11');
      expect(text).toContain(detail.fingerprint!);
      expect(text).toContain('Budget: quick');
      expect(text).toContain('Test Table 1');
      expect(text).toContain('32 px patches at the CNN');
      expect(text).toContain('3 random splits by point (seed 5');
      expect(text).toContain(`estimated before the start: ${detail.estimateS!.toFixed(1)} s`);
    }
    expect(html).toContain(`<td><span class="measured">${c0}</span> <span class="paper">(paper 0.4321)</span></td>`);
    expect(html).toContain('<svg');
    // Split means are the held-out points' carbon: a real number between the billet's extremes.
    expect(Number(c0)).toBeGreaterThan(0.05);
    expect(Number(c0)).toBeLessThan(1.5);
  });

  it('a run left running by a dead process reads interrupted at the next open, and resumes', async () => {
    const repo = createExperimentRunsRepo(ctx.db);
    const run = repo.create({ kind: 'segregation', budget: 'quick', seed: 9, inputs: { billetIds: [billetId], names: ['x'] } });
    ctx.db.prepare('UPDATE experiment_runs SET owner_pid = ?, owner_start = NULL WHERE id = ?').run(2 ** 22 + 12345, run.id);
    expect(markInterruptedWork(ctx.db).experimentRuns).toEqual([run.id]);
    expect(repo.get(run.id).state).toBe('interrupted');
    expect(repo.get(run.id).interruptedAt).not.toBeNull();
    const again = await end(await api['experiments.resume']({ id: run.id }));
    expect(again.state).toBe('done');
    expect(repo.get(run.id).state).toBe('done');
  }, 300_000);

  it('a run cancelled after 2 of its 4 units keeps them; the resume computes only the other 2', async () => {
    process.env.FERROLAB_TEST_EXPERIMENT_UNIT_MS = '1500';
    try {
      const job = await api['experiments.start']({ kind: 'segregation', billetIds: [billetId], budget: 'quick', seed: 11 });
      const id = (await api['experiments.list']({}))[0].id;
      // Cancel as soon as the job says its second unit is stored (the third takes 1.5 s more).
      const off = ctx.bus.subscribe((ev) => {
        if (ev.type === 'job' && ev.job.id === job.id && ((ev.job.detail as { unitsComputed?: number } | undefined)?.unitsComputed ?? 0) >= 2) {
          off();
          void api['experiments.cancel']({ id });
        }
      });
      expect((await end(job)).state).toBe('cancelled');
      const run = await api['experiments.get']({ id });
      expect(run.state).toBe('cancelled');
      expect(run.unitsDone).toBe(2);
      delete process.env.FERROLAB_TEST_EXPERIMENT_UNIT_MS;
      const again = await end(await api['experiments.resume']({ id }));
      expect(again.state).toBe('done');
      expect((again.result as ReproductionJobResult).unitsComputed).toBe(2);
      expect(ctx.services.experiments.unitsByAttempt(id)).toEqual({ 1: 2, 2: 2 });
      expect((await api['experiments.get']({ id })).results[0].settings.computedHere).toBe(2);
    } finally {
      delete process.env.FERROLAB_TEST_EXPERIMENT_UNIT_MS;
    }
  }, 300_000);

  it('refuses a segregation start without billets, and a Jominy start without a dataset', async () => {
    await expect(api['experiments.start']({ kind: 'segregation', budget: 'quick' } as never)).rejects.toThrow(/billet/);
    await expect(api['experiments.start']({ kind: 'jominy', budget: 'quick' } as never)).rejects.toThrow(/dataset/);
  });
});
