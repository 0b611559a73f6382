import { afterAll, describe, expect, it } from 'vitest';
import { localClient } from '../../../core/app/dispatch.js';
import { createModelsRepo } from '../../../core/store/repos/models-repo.js';
import { CNN_MODEL_KIND } from '../../../core/segregation/cnn/params.js';
import { COMPACT_ARCHITECTURE } from '../../../core/ml/architecture.js';
import { coveragePhrase, refitCoverageShort } from '../../../core/ml/conformal.js';
import { english } from '../../../core/runtime/english.js';
import type { CnnMetrics, IntervalCalibration } from '../../../core/api/methods/cnn.js';
import { tempContext } from '../../helpers/temp.js';

// Task 22-C item 3: the refit warning is the core's own phrase, carried by the model's description; the renderer's
// MetricsTable only says it (it had rebuilt the 1.645·√(p(1−p)/n) rule and the phrase's parameters itself).

const ctx = tempContext();
afterAll(() => ctx.dispose());
const api = localClient(ctx);

const run = { name: 'final', seed: 1, bestEpoch: 3, stoppedEarly: false, history: [], train: { n: 76, r2: 0.9, mae: 0.01, rmse: 0.012, maxAbsError: 0.03, meanRelError: 0.02 }, test: null, testMaeOfTrainMean: null, trainPoints: [], testPoints: [] };
const calibration = (refitCoverage: IntervalCalibration['refitCoverage']): IntervalCalibration => ({
  method: 'split-conformal-absolute', alpha: 0.1, quantile: 0.021, scale: null, n: 85, measuredCoverage: 0.894, coverageN: 85, coverageProtocol: 'leave-one-split-out', meanHalfWidth: 0.021, refitCoverage,
});
function store(cal: IntervalCalibration | null): number {
  const metrics: CnnMetrics = { splitMode: 'points', splits: [], summary: null, final: run, calibration: cal };
  return createModelsRepo(ctx.db).insert(
    { kind: CNN_MODEL_KIND, name: 'm', parentModelId: null, architecture: COMPACT_ARCHITECTURE, hyper: {}, seed: 1, datasetFingerprint: 'f', dataset: {}, backend: { name: 'wasm', tfjsBackend: 'wasm', gpu: false, tfjsVersion: '4.22.0', detail: '', skipped: [] }, history: null, metrics, synthetic: true },
    () => {},
  ).id;
}

describe('the model contract carries the refit-coverage warning as the core words it', () => {
  it('carries refitInterval.short exactly when refitCoverageShort says so (90 % on 76 points: flagged below 0.843)', async () => {
    const cases: [IntervalCalibration['refitCoverage'], boolean][] = [
      [{ coverage: 64 / 76, n: 76 }, true],
      [{ coverage: 65 / 76, n: 76 }, false],
      [{ coverage: 5 / 8, n: 8 }, true],
      [{ coverage: 6 / 8, n: 8 }, false],
      [null, false],
      [undefined, false],
    ];
    for (const [refit, short] of cases) {
      const cal = calibration(refit);
      expect(refitCoverageShort(cal)).toBe(short);
      const id = store(cal);
      const detail = await api['cnn.models.get']({ id });
      const summary = (await api['cnn.models.list']({})).find((m) => m.id === id)!;
      const expected = short ? coveragePhrase(cal) : null;
      expect(detail.metrics!.calibration!.refitShortPhrase).toEqual(expected);
      expect(detail.calibration!.refitShortPhrase).toEqual(expected);
      expect(summary.calibration!.refitShortPhrase).toEqual(expected);
      if (short) expect(expected!.code).toBe('refitInterval.short');
    }
    // the words the renderer shows for 64 of 76
    const id = store(calibration({ coverage: 64 / 76, n: 76 }));
    const said = (await api['cnn.models.get']({ id })).metrics!.calibration!.refitShortPhrase!;
    expect(said).toEqual({ code: 'refitInterval.short', params: { nominal: 90, coverage: { value: 0.894, digits: 2 }, heldOut: { code: 'interval.heldOut.residuals', params: { n: 85 } }, refit: { value: 64 / 76, digits: 2 }, refitN: 76 } });
    expect(english(said)).toContain('0.84');
  });

  it('carries no calibration (and so no warning) for a model without one', async () => {
    const id = store(null);
    expect((await api['cnn.models.get']({ id })).metrics!.calibration).toBeNull();
  });
});
