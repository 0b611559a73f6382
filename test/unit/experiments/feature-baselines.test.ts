import { describe, expect, it } from 'vitest';
import { createFeatureBaselines, featureBaselines } from '../../../core/experiments/segregation/feature-baselines.js';
import { memoryContext, type ExperimentContext, type SegregationData } from '../../../core/experiments/types.js';
import { gradientBoosting, linearSvr, type BaselineModel } from '../../../core/ml/baselines/index.js';
import { gridOf } from '../../../core/ml/baselines/types.js';
import { createRng } from '../../../core/runtime/random.js';
import { randomPointSplits } from '../../../core/segregation/cnn/splits.js';
import { english } from '../../../core/runtime/english.js';

const SIZE = 16;

/**
 * 40 points whose CLAHE patch's contrast grows linearly with carbon (0.38–0.42 wt.%), while the raw patch is noise
 * of one fixed contrast (it says nothing of carbon); two random splits.
 */
function tinyData(seed = 4): SegregationData {
  const rng = createRng(seed);
  const points = Array.from({ length: 40 }, (_, i) => {
    const carbon = 0.38 + 0.04 * rng.next();
    const amp = 10 + 1500 * (carbon - 0.38);
    const clahe = Uint8Array.from({ length: SIZE * SIZE }, () => Math.max(0, Math.min(255, Math.round(128 + amp * rng.normal()))));
    const raw = Uint8Array.from({ length: SIZE * SIZE }, () => Math.max(0, Math.min(255, Math.round(128 + 20 * rng.normal()))));
    return { label: `P${i + 1}`, billetId: 1, xMm: i, yMm: 0, carbon, raw, clahe };
  });
  return { billets: [{ id: 1, name: 'tiny', synthetic: true }], size: SIZE, points, splits: randomPointSplits(40, 2, 9), fingerprint: 'test', synthetic: true };
}

/** A memory context that counts the units it actually computes. */
function countingContext(store = new Map<string, unknown>(), extra: Partial<ExperimentContext> = {}) {
  const ctx = memoryContext({ store, seed: 17, ...extra });
  const inner = ctx.unit.bind(ctx);
  const counter = { computed: [] as string[] };
  ctx.unit = <T,>(key: string, compute: () => Promise<T>) =>
    inner(key, async () => {
      counter.computed.push(key);
      return compute();
    });
  return { ctx, counter, store };
}

// ml-cart trees are slow in JS: a one-point boosting grid keeps the test fast (the grid search itself is tested
// in feature-baselines-models.test.ts).
const smallBoosting: BaselineModel = { ...gradientBoosting, grid: () => gridOf({ nEstimators: [20], learningRate: [0.1], maxDepth: [2] }) };
const experiment = createFeatureBaselines({ models: [linearSvr, smallBoosting] });

describe('feature baselines experiment on tiny data', () => {
  it('reports held-out MAE and both R² per model on the splits’ test points, the training mean and the paper beside them', async () => {
    const data = tinyData();
    const { ctx } = countingContext();
    const r = await experiment.run(data, ctx);
    const held = r.tables.find((t) => t.id === 'feature-baselines-held-out')!;
    expect(held.sample).toBe('held-out');
    expect(held.rows.map((x) => x.key)).toEqual(['linear-svr', 'gradient-boosting', 'training-mean']);
    const svr = held.rows[0].cells;
    const mean = held.rows[2].cells;
    // Contrast encodes carbon linearly: the linear SVR on the features recovers it, the training mean cannot.
    expect(svr.r2 as number).toBeGreaterThan(0.8);
    expect(svr.r2Determination as number).toBeGreaterThan(0.7);
    expect(svr.mae as number).toBeLessThan(0.5 * (mean.mae as number));
    expect(mean.r2).toBe(0);
    expect(held.rows[0].paper).toEqual({ mae: 0.0252, r2: 0.175 });
    expect(held.rows[1].paper).toEqual({ mae: 0.0212, r2: 0.377 });
    expect(held.rows[2].paper).toBeUndefined();
    const per = r.tables.find((t) => t.id === 'feature-baselines-per-split')!;
    expect(per.rows).toHaveLength(3 * 2);
    expect(String(per.rows[0].cells.params)).toMatch(/^C=\S+, epsilon=0\.1 \(of 3\)$/);
    expect(Object.keys(r.seeds)).toEqual(expect.arrayContaining(['root', 'cv folds · split 1/2', 'linear-svr · split 2/2', 'gradient-boosting · split 1/2']));
    expect(r.settings.splits).toEqual(data.splits.map((s) => ({ name: s.name, train: s.train.length + s.val.length, test: s.test.length })));
    expect(r.notes.join(' ')).toMatch(/SYNTHETIC/);
    // issue 15: every note is a code (none English-only), and its English words are the stored note
    expect(r.notePhrases).toHaveLength(r.notes.length);
    r.notePhrases!.forEach((p, i) => expect(p && english(p)).toBe(r.notes[i]));
    expect(r.figures[0].series.find((s) => s.paper)!.points.map((p) => p.y)).toEqual([0.0252, 0.0212]);

    // A model's seeds and figures do not depend on which other models run beside it.
    const alone = await createFeatureBaselines({ models: [linearSvr] }).run(data, countingContext().ctx);
    expect(alone.seeds['linear-svr · split 2/2']).toBe(r.seeds['linear-svr · split 2/2']);
    expect(alone.tables[0].rows[0]).toEqual(held.rows[0]);
  });

  it('resumes: a second run with the same store computes nothing, an interrupted one only what is left', async () => {
    const data = tinyData();
    const first = countingContext();
    const r1 = await experiment.run(data, first.ctx);
    expect(first.counter.computed).toEqual(['features/clahe', 'linear-svr/clahe/quick/split-0', 'gradient-boosting/clahe/quick/split-0', 'linear-svr/clahe/quick/split-1', 'gradient-boosting/clahe/quick/split-1']);
    const again = countingContext(first.store);
    const r2 = await experiment.run(data, again.ctx);
    expect(again.counter.computed).toEqual([]);
    expect(r2.tables).toEqual(r1.tables);

    // Interrupted during the third unit: the two finished ones are kept, the resumed run computes the rest.
    const ac = new AbortController();
    const broken = countingContext(new Map(), { signal: ac.signal, progress: (_f, msg) => (typeof msg === 'string' ? msg : english(msg)).startsWith('Linear SVR, split 2/2') && ac.abort() });
    await expect(experiment.run(data, broken.ctx)).rejects.toMatchObject({ name: 'AbortError' });
    expect([...broken.store.keys()]).toEqual(['features/clahe', 'linear-svr/clahe/quick/split-0', 'gradient-boosting/clahe/quick/split-0']);
    const resumed = countingContext(broken.store);
    const r3 = await experiment.run(data, resumed.ctx);
    expect(resumed.counter.computed).toEqual(['linear-svr/clahe/quick/split-1', 'gradient-boosting/clahe/quick/split-1']);
    expect(r3.tables).toEqual(r1.tables);
  });

  it('features come from the patch asked for: the raw patches here carry no carbon, the CLAHE ones do', async () => {
    const data = tinyData();
    const svr = (source: 'raw' | 'both') => createFeatureBaselines({ models: [linearSvr], featureSource: source }).run(data, countingContext().ctx);
    const raw = await svr('raw');
    expect(raw.tables[0].rows[0].cells.r2Determination as number).toBeLessThan(0.3);
    expect((raw.settings.features as string[])[0]).toBe('raw.mean');
    const both = await svr('both');
    expect(both.settings.features as string[]).toHaveLength(28);
    expect(both.tables[0].rows[0].cells.r2Determination as number).toBeGreaterThan(0.5);
  });

  it('the full six-model experiment says what it runs and estimates a finite time', () => {
    const data = tinyData();
    expect(featureBaselines.paperRef).toBe('Supp. Table 2');
    const quick = featureBaselines.estimateSeconds(data, 'quick');
    expect(quick).toBeGreaterThan(0);
    expect(featureBaselines.estimateSeconds(data, 'full')).toBeGreaterThan(quick);
  });
});
