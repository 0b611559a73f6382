import { describe, it, expect } from 'vitest';
import { runSegregation, type RunnerEvents } from '../../../core/experiments/runner.js';
import type { ExperimentResult, SegregationData, SegregationExperiment } from '../../../core/experiments/types.js';
import { phrase, type Phrase } from '../../../core/api/phrase.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';

// The checkpointing runner on plain data, in-process: unit keys are namespaced per experiment, stored units are
// read back without computing, finished experiments are skipped, and a unit that JSON cannot keep is refused.
const data: SegregationData = { billets: [], size: 2, points: [], splits: [], fingerprint: 'f', synthetic: false };

function exp(id: string, calls: string[], value: (k: string) => unknown = (k) => k.length): SegregationExperiment {
  return {
    id,
    title: id,
    paperRef: 'T',
    estimateSeconds: () => 3,
    async run(_d, ctx): Promise<ExperimentResult> {
      const a = await ctx.unit('a', async () => (calls.push(`${id}/a`), value('a')));
      const b = await ctx.unit('b', async () => (calls.push(`${id}/b`), value('bb')));
      return { id, title: id, paperRef: 'T', tables: [], figures: [], seeds: {}, settings: { a, b }, notes: [], elapsedMs: 1 };
    },
  };
}

function recorder() {
  const units: Record<string, unknown> = {};
  const results: { position: number; result: ExperimentResult }[] = [];
  let estimate = -1;
  const ev: RunnerEvents = {
    estimate: (s) => (estimate = s),
    unit: (k, v) => (units[k] = v),
    result: (position, result) => results.push({ position, result }),
    progress: () => {},
  };
  return { ev, units, results, estimate: () => estimate };
}

describe('experiment runner', () => {
  it('namespaces units per experiment, reads stored ones back and skips finished experiments', async () => {
    const calls: string[] = [];
    const r = recorder();
    await runSegregation([exp('x', calls), exp('y', calls)], data, { budget: 'quick', seed: 1, backend: 'cpu', done: { 'x/a': 41 }, finished: new Set() }, r.ev);
    expect(calls).toEqual(['x/b', 'y/a', 'y/b']);
    expect(r.units).toEqual({ 'x/b': 2, 'y/a': 1, 'y/b': 2 });
    expect(r.results.map((x) => [x.position, x.result.settings])).toEqual([[0, { a: 41, b: 2 }], [1, { a: 1, b: 2 }]]);
    expect(r.estimate()).toBe(6);
    const r2 = recorder();
    const calls2: string[] = [];
    await runSegregation([exp('x', calls2), exp('y', calls2)], data, { budget: 'quick', seed: 1, backend: 'cpu', done: {}, finished: new Set(['x']) }, r2.ev);
    expect(calls2).toEqual(['y/a', 'y/b']);
    expect(r2.results.map((x) => x.position)).toEqual([1]);
    expect(r2.estimate()).toBe(3);
  });

  it('says its progress as codes: the experiment’s title phrase frames each of its lines (issue 15)', async () => {
    const lines: (string | Phrase)[] = [];
    const r = recorder();
    r.ev.progress = (_f, m) => void lines.push(m);
    const clahe: SegregationExperiment = {
      ...exp('c', []),
      titlePhrase: phrase('experiments.clahe.title'),
      async run(_d, ctx) {
        ctx.progress(0.5, phrase('expNotes.progress.quality'));
        return exp('c', []).run(_d, ctx);
      },
    };
    await runSegregation([clahe], data, { budget: 'quick', seed: 1, backend: 'cpu', done: {}, finished: new Set() }, r.ev);
    expect(lines.every((l) => typeof l !== 'string')).toBe(true);
    const words = (lang: 'en' | 'zh' | 'it') => lines.map((l) => reportPhraser(lang)(l as Phrase));
    expect(words('en')).toEqual(['CLAHE ablation and image quality (T): starting', 'CLAHE ablation and image quality: image-quality figures before and after CLAHE', 'experiments done']);
    expect(words('zh')[1]).toMatch(/：CLAHE 前后的图像质量指标$/);
    expect(words('it')[2]).toBe('esperimenti completati');
  });

  it('scales every stated estimate by the measured speed of this machine, in whole seconds', async () => {
    const r = recorder();
    await runSegregation([exp('x', []), exp('y', [])], data, { budget: 'quick', seed: 1, backend: 'cpu', done: {}, finished: new Set(), speed: 0.45 }, r.ev);
    expect(r.estimate()).toBe(2 * Math.round(3 * 0.45)); // each experiment: round(3 s × 0.45) = 1
  });

  it('refuses a unit holding NaN or Infinity (a resume could not read it back)', async () => {
    const r = recorder();
    await expect(
      runSegregation([exp('z', [], () => ({ r2: NaN }))], data, { budget: 'quick', seed: 1, backend: 'cpu', done: {}, finished: new Set() }, r.ev),
    ).rejects.toThrow(/unit "z\/a" holds NaN: store null instead/);
    expect(r.units).toEqual({});
  });

  it('stops at an aborted signal before computing the next unit', async () => {
    const ac = new AbortController();
    ac.abort();
    const calls: string[] = [];
    await expect(runSegregation([exp('x', calls)], data, { budget: 'quick', seed: 1, backend: 'cpu', signal: ac.signal, done: {}, finished: new Set() }, recorder().ev)).rejects.toThrow();
    expect(calls).toEqual([]);
  });
});
