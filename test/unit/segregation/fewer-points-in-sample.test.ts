import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from '../../../core/app/context.js';
import { localClient } from '../../../core/app/dispatch.js';
import { createModelsRepo } from '../../../core/store/repos/models-repo.js';
import { createPointPlansRepo } from '../../../core/store/repos/point-plans-repo.js';
import { CNN_MODEL_KIND } from '../../../core/segregation/cnn/params.js';
import { COMPACT_ARCHITECTURE } from '../../../core/ml/architecture.js';
import type { CnnMetrics } from '../../../core/api/methods/cnn.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';
import { tempDir } from '../../helpers/temp.js';

/**
 * Task 27-G (audit 27-F #6): `correct` on the billet the model trained on. Its check line said IN-SAMPLE, while the own
 * check said "held-out on this billet's own readings … the model's own error at the 6 readings, held-out as it stands",
 * and so did the choice ("the uncorrected model by its error at them, which is held-out as it stands"). Each is now
 * worded by what the K readings are to the model (its ancestors' training included), in every language.
 */

// (B99's readings are its own, 0.0002 up: a billet repeating a training billet's readings is that billet's points)
const reading = (i: number, shift = 0) => Number((0.42 + shift + 0.0009 * ((i * 7) % 23)).toFixed(4));
const LABELS = ['P46', 'P52', 'P09', 'P64', 'P55', 'P58'];
const run = { name: 'final model (all points)', seed: 1, bestEpoch: 4, stoppedEarly: false, history: [], train: { n: 76, r2: 0.749, r2Determination: 0.665, meanBias: -0.0034, mae: 0.0081, rmse: 0.011, maxAbsError: 0.049, meanRelError: 0.02 }, test: null, testMaeOfTrainMean: null, trainPoints: [], testPoints: [] };
const metrics = { splitMode: 'random', splits: [], summary: null, final: run, calibration: null } as unknown as CnnMetrics;

describe('the own check and the choice say what the K readings are to the model', () => {
  const { dir, cleanup } = tempDir('ferrolab-27g-own-');
  let ctx: AppContext;
  let b7 = 0;
  let b99 = 0;
  let modelId = 0;

  /** A plan of the model on a billet as `propose-points` stores it, with readings everywhere (a fixed pattern: the words matter, not the figures). */
  async function planOn(billetId: number, sample: 'in-sample' | 'out-of-sample') {
    const api = localClient(ctx);
    const pts = (await api['points.layout']({ billetId, pattern: 'hex85', confirmReplace: true })).points;
    const shift = sample === 'in-sample' ? 0 : 0.0002;
    for (const [i, p] of pts.entries()) await api['readings.set']({ billetId, label: p.label, values: [reading(i, shift)] });
    createPointPlansRepo(ctx.db).create({
      billetId, modelId, modelName: 'M1', k: 6, seed: 5, widthSource: 'calibrated-interval', widthWeight: 1, labels: LABELS,
      predictions: pts.map((p, i) => ({ label: p.label, xMm: p.xMm, yMm: p.yMm, predicted: reading(i, shift) + (0.004 * (((i * 3) % 5) - 2)) / 2, sd: 0.001, width: 0.0428 })),
      priorSd: 0.023, sample,
    });
  }

  beforeAll(async () => {
    ctx = createAppContext({ dataDir: dir, shell: 'cli', backend: 'wasm' });
    b7 = ctx.repos.billets.create({ name: 'B7', nominalDiameterMm: 600 }).id;
    b99 = ctx.repos.billets.create({ name: 'B99', nominalDiameterMm: 600 }).id;
    modelId = createModelsRepo(ctx.db).insert(
      { kind: CNN_MODEL_KIND, name: 'M1', parentModelId: null, architecture: COMPACT_ARCHITECTURE, hyper: { preset: 'compact' }, seed: 42, datasetFingerprint: 'f'.repeat(16), dataset: { billets: [{ id: b7, name: 'B7', imageHash: null }], points: [] }, backend: null, history: null, metrics, synthetic: true },
      () => {},
    ).id;
    await planOn(b7, 'in-sample');
    await planOn(b99, 'out-of-sample');
  });
  afterAll(async () => {
    await ctx.close();
    cleanup();
  });

  it('on the model\'s own training billet: the check, the own check and the choice all say in-sample, never "held-out as it stands"', async () => {
    const r = await localClient(ctx)['fewerPoints.correct']({ billetId: b7, modelId });
    expect(r.check?.sample).toBe('in-sample');
    expect(r.check?.n).toBe(85 - 6);
    const own = r.ownCheck!.english;
    expect(own).not.toContain('held-out as it stands');
    expect(own).not.toContain('held-out on this billet');
    expect(own).toContain('MAE');
    expect(own).toContain('to the model these readings are in-sample: the model (or a model it was fine-tuned from) trained on these points, so its error at them is a training error, not a test');
    const choice = r.choice!.english;
    expect(choice).not.toContain('held-out as it stands');
    expect(choice).toContain('the uncorrected model by its error at them — to the model they are in-sample');
    // the same sentences in the other languages carry the same clause
    for (const lang of ['zh', 'it'] as const) {
      const words = [...r.ownCheck!.words, ...r.choice!.words].map((w) => reportPhraser(lang)(w)).join(' ');
      expect(words).toContain(lang === 'zh' ? '样本内' : 'nel campione');
    }
  });

  it('when the chosen correction is none, the own check is the model\'s own training error, said so', async () => {
    const r = await localClient(ctx)['fewerPoints.correct']({ billetId: b7, modelId });
    // the readings scatter ±0.004 about the predictions with no offset: no correction is chosen
    expect(r.choice!.chosenName).toBe('none');
    const codes = r.ownCheck!.words.map((w) => w.code);
    expect(codes).toContain('fewerChoice.ownNoneInSample');
    expect(codes).not.toContain('fewerChoice.ownNone');
    expect(r.ownCheck!.english).toContain("the figure is the model's own error at the 6 readings, which are IN-SAMPLE to it");
  });

  it('on a billet the model never trained on: out-of-sample, worded so', async () => {
    const r = await localClient(ctx)['fewerPoints.correct']({ billetId: b99, modelId });
    expect(r.check?.sample).toBe('out-of-sample');
    expect(r.ownCheck!.english).toContain('to the model these readings are out-of-sample: a section image the model never trained on');
    expect(r.choice!.english).toContain('to the model they are out-of-sample');
  });
});
