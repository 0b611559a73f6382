import { describe, expect, it } from 'vitest';
import { apiSession } from '../../helpers/api-session.js';
import { plantLikeJominyCsv, PLANT_ELEMENTS } from '../../helpers/plant-jominy-csv.js';

/** Design, predict and evaluate on a predictor of a plant-like dataset use only the dataset's elements and distances. */
const { ctx, api, finished } = apiSession();

describe('a predictor trained on a plant-like dataset (element subset, sixteenths, partial curves)', () => {
  let modelId = 0;
  let datasetId = 0;

  it('trains through the contract and stores missing readings as missing (null), never 0', async () => {
    const uploadId = ctx.uploads.saveBytes(Buffer.from(plantLikeJominyCsv({ n: 150, seed: 30 }).text));
    const ds = await api['jominy.datasets.import']({ upload: { uploadId, name: 'plant.csv' } });
    datasetId = ds.id;
    const page = await api['jominy.datasets.samples']({ id: ds.id, limit: 150 });
    const tail = page.samples.map((s) => s.hardness[14]);
    expect(tail.filter((h) => h === null).length).toBeGreaterThan(100);
    expect(tail.includes(0)).toBe(false);
    // the curve read at the standard distances for a design target: PCHIP inside the measured ones, null beyond
    const s0 = page.samples.find((s) => s.hardness[12] !== null && s.hardness[13] === null)!;
    expect(s0.standardHardness).toHaveLength(15);
    expect(s0.standardHardness![0]).toBeNull(); // 1.5 mm lies before J1 = 1.5875 mm
    expect(typeof s0.standardHardness![10]).toBe('number'); // 30 mm: inside, before J20 = 31.75 mm
    expect(s0.standardHardness![12]).toBeNull(); // 40 mm: beyond its last measured distance (J20)
    modelId = (await finished((await api['jominy.models.train']({ datasetId: ds.id, seed: 2, maxHidden: 2, epochs: 20 })).id)).modelId;
  });

  it('designs only the dataset elements: others are not stated (not 0), no A255 reference without Cu and V, and cannot be ranged', async () => {
    // the fixture's heats mostly end at J20 (31.75 mm): 35–50 mm are beyond the predictor's points, given weight 0
    const weights = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0];
    await expect(api['jominy.design']({ modelId, target: { kind: 'curve', hardness: Array(15).fill(40) }, settings: { weights, ranges: { V: [0, 0.1] } } })).rejects.toMatchObject({
      code: 'invalid_argument', field: 'settings.ranges.V', message: expect.stringMatching(/V is not in the predictor's dataset/),
    });
    const target = [50, 49, 47, 44, 41, 38, 36, 34, 31, 29, 28, 27, 26, 25, 24];
    const job = await api['jominy.design']({ modelId, target: { kind: 'curve', hardness: target }, seed: 3, settings: { weights, ga: { population: 16, generations: 10, topK: 2 } } });
    const s = await api['jominy.sessions.get']({ id: (await finished(job.id)).sessionId });
    for (const r of s.results) {
      expect(Object.keys(r.chemistry).sort()).toEqual([...PLANT_ELEMENTS].sort());
      expect(r.reference).toBeNull();
    }
    const csv = await api['jominy.sessions.export']({ id: s.id, format: 'csv' });
    expect(csv.content.split('\n').find((l) => l.startsWith('1,'))).toMatch(/,,/); // absent elements are empty cells
  });

  it('refuses a target beyond the predictor\'s points, where its curve is its held end value, and stores nothing', async () => {
    const detail = await api['jominy.models.get']({ id: modelId });
    const last = detail.pointsLayout!.distancesMm.at(-1)!;
    expect(last).toBeCloseTo(31.75, 9); // J20
    // the distances the design page's target sources leave empty: 35–50 mm (1.5 mm is within 0.1 mm of J1)
    expect(detail.pointsLayout!.outsideStandard).toEqual([...Array(11).fill(false), true, true, true, true]);
    const before = (await api['jominy.sessions.list']({})).length;
    const target = [50, 49, 47, 44, 41, 38, 36, 34, 31, 29, 28, 27, 26, 25, 24];
    await expect(api['jominy.design']({ modelId, target: { kind: 'curve', hardness: target }, seed: 3, settings: { ga: { population: 16, generations: 2 } } })).rejects.toMatchObject({
      code: 'invalid_argument', field: 'target', phrase: { code: 'jominyErrors.targetBeyondPredictor' },
      message: "the target sets 35, 40, 45, 50 mm, beyond the predictor's points (1.59–31.75 mm: its dataset did not reach there); its curve there is its end value held, not a prediction, so a design would meet it only on paper — leave those distances empty or give them weight 0, or use a predictor trained on them",
    });
    // a band there too; 1.5 mm lies 0.0875 mm before J1 (1.5875 mm), within the tolerance: designed for
    const min = [48, ...Array(13).fill(null), 20];
    await expect(api['jominy.design']({ modelId, target: { kind: 'band', min, max: Array(15).fill(null) }, seed: 3, settings: { ga: { population: 16, generations: 2 } } })).rejects.toMatchObject({
      field: 'target', phrase: { code: 'jominyErrors.bandBeyondPredictor', params: { distances: '50' } },
    });
    // weight 0 does not take a band point out of P(meet band): still refused
    await expect(api['jominy.design']({ modelId, target: { kind: 'band', min, max: Array(15).fill(null) }, seed: 3, settings: { weights: [...Array(14).fill(1), 0], ga: { population: 16, generations: 2 } } })).rejects.toMatchObject({
      phrase: { code: 'jominyErrors.bandBeyondPredictor', params: { distances: '50' } },
    });
    // a curve's point of weight 0 scores nothing: designed, and the held end values are marked in the results
    const curve = [50, 49, 47, 44, 41, 38, 36, 34, 31, 29, 28, 27, 26, 25, 24];
    const done = await finished((await api['jominy.design']({ modelId, target: { kind: 'curve', hardness: curve }, seed: 3, settings: { weights: [...Array(11).fill(1), 0, 0, 0, 0], ga: { population: 16, generations: 2, topK: 1 } } })).id);
    const session = await api['jominy.sessions.get']({ id: done.sessionId });
    // 1.5 mm lies 0.0875 mm before J1, within the tolerance the refusal allows: designed for, so not marked held
    expect(session.results[0].outside).toEqual([...Array(11).fill(false), true, true, true, true]);
    // the shown deviation is over the 11 weighted points, not the held end values at 35–50 mm
    const r0 = session.results[0];
    expect(r0.deviation).toBeCloseTo(curve.slice(0, 11).reduce((a, v, i) => a + Math.abs(r0.profile[i] - v), 0) / 11, 9);
    const exported = (await api['jominy.sessions.export']({ id: session.id, format: 'csv' })).content.split('\n').filter((l) => l && !l.startsWith('#'));
    const held = exported[0].split(',').indexOf('held_end_value_mm');
    expect(held).toBe(exported[0].split(',').length - 8); // before P(meet band)'s four columns and the three marked-distance columns, added after it
    expect(exported[1].split(',')[held]).toBe('35 40 45 50');
    expect((await api['jominy.sessions.list']({})).length).toBe(before + 1); // only the curve designed above
  });

  it('refuses to evaluate on targets at non-standard distances rather than interpolate them', async () => {
    await expect(api['jominy.evaluate']({ modelId, datasetId, objective: 'base', seed: 1 })).rejects.toMatchObject({
      code: 'failed_precondition', message: expect.stringMatching(/evaluation targets must be curves at the 15 standard distances .* \(sixteenths of an inch\)/),
    });
  });
});
