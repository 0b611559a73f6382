import { describe, expect, it } from 'vitest';
import { apiSession } from '../../helpers/api-session.js';
import { plantLikeJominyCsv } from '../../helpers/plant-jominy-csv.js';
import { sessionText } from '../../../core/cli/commands/jominy-session-text.js';
import { sixteenthsPoints } from '../../../core/jominy/meet-uncertainty.js';
import { DISTANCES_MM } from '../../../core/jominy/elements.js';

/**
 * Review s18 (g): a predictor whose distances are sixteenths of an inch (J-number × 1.5875 mm) has no point at the 15
 * standard mm distances a design's band bounds, so its P(meet band) never gets the held-out check. That was said as
 * one band's misfortune ("the band bounds a distance no held-out heat measured"); now the reason names the unit and
 * says such a predictor never gets the check (CLI here; the design page takes the same code, meetCheckWhy.sixteenths).
 */
const { ctx, api, finished } = apiSession();

describe('P(meet band) of a sixteenths predictor', () => {
  it('tells a sixteenths layout from an mm one', () => {
    expect(sixteenthsPoints([1, 2, 3, 4, 8, 16, 20].map((n) => Math.round(n * 1.5875 * 1e6) / 1e6))).toBe(true);
    expect(sixteenthsPoints(DISTANCES_MM)).toBe(false);
    // a plant's mm set that happens to hold one whole sixteenth (J2 = 3.175 mm) beside mm distances is not one
    expect(sixteenthsPoints([1.5, 3.175, 5, 7])).toBe(false);
    expect(sixteenthsPoints([])).toBe(false);
  });

  it('says why there is no held-out check: the predictor is in sixteenths, never checked', async () => {
    const uploadId = ctx.uploads.saveBytes(Buffer.from(plantLikeJominyCsv({ n: 150, seed: 30 }).text));
    const ds = await api['jominy.datasets.import']({ upload: { uploadId, name: 'plant.csv' } });
    const modelId = (await finished((await api['jominy.models.train']({ datasetId: ds.id, seed: 2, maxHidden: 2, epochs: 20, ensemble: 3 })).id)).modelId;
    // a wide band at 3–30 mm (within the predictor's J1–J20)
    const min = DISTANCES_MM.map((d) => (d >= 3 && d <= 30 ? 32 : null));
    const max = DISTANCES_MM.map((d) => (d >= 3 && d <= 30 ? 58 : null));
    const job = await api['jominy.design']({ modelId, target: { kind: 'band', min, max }, seed: 3, settings: { tolerances: { C: 0.02 }, ga: { population: 8, generations: 2, topK: 1 } } });
    const s = await api['jominy.sessions.get']({ id: (await finished(job.id)).sessionId });
    const m = s.results[0].meet!;
    expect([m.heldOut, m.heldOutWhy]).toEqual([null, 'sixteenths']);
    // the calibration range still rests on the held-out heats it kept
    expect(m.calibrationRange).not.toBeNull();
    console.log(`sixteenths predictor: P(meet band) ${m.p.toFixed(3)}, range ${m.range![0].toFixed(3)}–${m.range![1].toFixed(3)}, calibration range ${m.calibrationRange![0].toFixed(3)}–${m.calibrationRange![1].toFixed(3)}, no held-out check`);
    const text = sessionText(s);
    expect(text).toContain("held-out check: none — the predictor's distances are sixteenths of an inch (J-number × 1.5875 mm), none at the standard mm distances a band bounds, so a sixteenths predictor never gets this check");
  }, 240_000);
});
