import { describe, expect, it } from 'vitest';
import { apiSession } from '../../helpers/api-session.js';
import { generateSynthetic } from '../../../core/jominy/synth.js';
import { writeJominyCsv } from '../../../core/jominy/csv.js';
import { planInputHeats } from '../../../core/jominy/element-gaps.js';
import { countHeats, heatKeys, splitHeats } from '../../../core/jominy/heat-split.js';
import { trainPredictor } from '../../../core/jominy/predictor.js';
import { trainEnsemble } from '../../../core/jominy/ensemble.js';
import { ELEMENTS } from '../../../core/jominy/elements.js';
import { STANDARD_LAYOUT, type JominySample } from '../../../core/jominy/dataset.js';

/**
 * One keying of heats for every decision and stored count (review 26b): the service counted heats on the full rows and
 * the trainer on rows restricted to the input elements, so id-less rows that differ only in a dropped element were two
 * heats to the service (passed: 32) and one to the worker (refused: 28).
 */
const { ctx, api, finished } = apiSession();
const withoutB = (s: JominySample): JominySample => ({ ...s, chemistry: Object.fromEntries(Object.entries(s.chemistry).filter(([el]) => el !== 'B')) as JominySample['chemistry'] });

/** The reviewer's case: 28 heats without ids, B analysed on half of them; 4 retests of B-analysed heats with B blank. */
function reviewerCase(): JominySample[] {
  const heats = generateSynthetic({ n: 28, seed: 31 }).map((s, i) => ({ ...s, heatId: null, grainSize: null, ...(i % 2 ? withoutB(s) : {}) }));
  const retests = [0, 2, 4, 6].map((k) => ({ ...withoutB(heats[k]), hardness: heats[k].hardness.map((h) => +(h + 0.3).toFixed(1)) }));
  return [...heats, ...retests];
}

describe('heats keyed once, on the full rows', () => {
  it('the plan, the split, the trainer and the ensemble count the same 32 heats (fails before: the trainer counted 28)', () => {
    const rows = reviewerCase();
    expect(countHeats(rows)).toBe(32);
    const { plan, samples, keys } = planInputHeats(rows, [...ELEMENTS]);
    expect(plan.dropped.map((d) => d.element)).toEqual(['B']);
    expect([plan.datasetHeats, plan.usedHeats, samples.length]).toEqual([32, 32, 32]);
    // the restricted rows alone key the retests into their heats: 28 (what the worker had counted)
    expect(countHeats(samples)).toBe(28);
    expect(new Set(keys).size).toBe(32);
    expect(keys).toEqual(heatKeys(rows));
    const m = trainPredictor(samples, { seed: 3, maxHidden: 1, epochs: 3, testFraction: 0.15, validationFraction: 0.15, heatKeys: keys, layout: { ...STANDARD_LAYOUT, elements: plan.inputElements }});
    const h = m.split.heats!;
    expect(h.train + h.validation + h.test).toBe(32);
    expect(h).toEqual({ train: 22, validation: 5, test: 5 });
    // the split the trainer took is the one of those keys
    expect(m.split.testIndices).toEqual(splitHeats(samples, { mode: 'random', seed: 3, testFraction: 0.15, validationFraction: 0.15, keys }).testIdx);
    const ens = trainEnsemble(samples, m, { size: 2, heatKeys: keys });
    expect([ens.fitHeats, ens.fitRows]).toEqual([27, 27]);
    expect(ens.calibration.heats).toBe(5);
  });

  it('through the service: the dataset, its plan, the stored counts and the split say 32 (fails before: refused in the worker with 28)', async () => {
    const csv = writeJominyCsv(reviewerCase(), { synthetic: 'retests', seed: '9' });
    const ds = await api['jominy.datasets.import']({ upload: { uploadId: ctx.uploads.saveBytes(Buffer.from(csv)), name: 'no-ids.csv' } });
    expect([ds.heats, ds.sampleCount]).toEqual([32, 32]);
    const job = await api['jominy.models.train']({ datasetId: ds.id, seed: 3, maxHidden: 1, epochs: 3, ensemble: 0, testFraction: 0.15, validationFraction: 0.15 });
    const { modelId } = await finished(job.id);
    const m = await api['jominy.models.get']({ id: modelId });
    expect(m.inputHeats).toMatchObject({ datasetHeats: 32, usedHeats: 32, dropped: [{ element: 'B' }] });
    const h = m.splitHeats!;
    expect(h.train + h.validation + h.test).toBe(32);
    const row = ctx.db.prepare('SELECT dataset_json FROM models WHERE id = ?').get(modelId) as { dataset_json: string };
    expect(JSON.parse(row.dataset_json)).toMatchObject({ heats: 32, rows: 32, datasetHeats: 32, datasetRows: 32 });
  });
});
