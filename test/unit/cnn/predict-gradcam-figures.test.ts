import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { trainedCnnFixture, CNN_FIXTURE_SETTINGS, CNN_FIXTURE_TIMEOUT_MS, type CnnFixture } from '../../helpers/cnn-fixture.js';
import type { JobInfo } from '../../../core/api/events.js';
import type { BilletPrediction, GradCamResult } from '../../../core/api/methods/cnn.js';
import { english } from '../../../core/runtime/english.js';
import { reportPhraser } from '../../../core/report/index.js';
import { gradCamReport, predictionReport } from '../../../core/cli/commands/cnn.js';
import { splitOutIntervals } from '../../../core/segregation/cnn/calibration.js';
import { wilsonInterval } from '../../../core/jominy/normal.js';

/** "p %; Wilson 90 % lo–hi %": a count's share with its own precision (readings-coverage.ts). */
const share = (inside: number, n: number) => `${Math.round((100 * inside) / n)} %; Wilson 90 % ${wilsonInterval(inside / n, n).map((v) => Math.round(100 * v)).join('–')} %`;

/**
 * Task 28-B #3 and #4, on the suite's trained CNN (split 1 of 3 of the demo billet kept: 68 points in-sample, 17
 * held-out) and on another synthetic billet it never saw (out-of-sample):
 * - `predict` showed intervals but not how many of the billet's own readings they cover; it now counts them per
 *   sample label (the in-sample count said to be no evidence), in its API result and the CLI;
 * - Grad-CAM showed a single view's carbon with neither the point's sample label nor an interval; it now gives the
 *   model's prediction of the patch exactly as predict makes it, with its interval, coverage words and label.
 */
let fixture: CnnFixture;
let own: BilletPrediction;
let other: { billetId: number; p: BilletPrediction };

async function done(job: JobInfo): Promise<JobInfo> {
  const end = await fixture.ctx.jobs.wait(job.id);
  if (end.state !== 'done') throw new Error(`job ${end.state}: ${end.error?.message}`);
  return end;
}
const predict = async (billetId: number) => (await done(await fixture.api['cnn.predict']({ modelId: fixture.modelId, billetId }))).result as BilletPrediction;

/** The readings inside their interval, counted from the points themselves. */
const counted = (p: BilletPrediction, sample: string) => {
  const pts = p.points.filter((x) => x.sample === sample && x.actual !== null && x.interval !== null);
  return { n: pts.length, inside: pts.filter((x) => x.actual! >= x.interval!.lo && x.actual! <= x.interval!.hi).length };
};

beforeAll(async () => {
  fixture = await trainedCnnFixture();
  own = await predict(fixture.billetId);
  const end = await done(await fixture.api['billets.loadDemo']({ ...CNN_FIXTURE_SETTINGS.demo, seed: 8 }));
  const billetId = (end.result as { billetId: number }).billetId;
  other = { billetId, p: await predict(billetId) };
}, CNN_FIXTURE_TIMEOUT_MS);

afterAll(async () => {
  await fixture?.dispose();
});

describe("predict: the intervals' coverage of this billet's own readings, per sample label", () => {
  it('the training billet: 17 held-out readings counted apart from the 68 in-sample ones, which are said to be no evidence', () => {
    expect(own.calibration).not.toBeNull();
    const cov = own.readingsCoverage;
    expect(cov.map((c) => [c.sample, c.n])).toEqual([['held-out', 17], ['in-sample', 68]]);
    // in-sample: against the intervals shown; held-out (split 1's test points, whose residuals calibrated the shown
    // intervals, review s18 (a)): against the interval calibrated on splits 2 and 3 without them
    expect({ n: cov[1].n, inside: cov[1].inside }).toEqual(counted(own, 'in-sample'));
    const of = splitOutIntervals(fixture.trained.metrics, own.calibration);
    const heldPts = own.points.filter((x) => x.sample === 'held-out' && x.actual !== null);
    const splitOut = heldPts.map((x) => of([`${fixture.billetId}/${x.label}`], x.mean, x.sd)!);
    expect(splitOut.every((iv) => iv !== null && iv !== undefined)).toBe(true);
    expect(cov[0].against).toBe('split-out');
    expect(cov[0].inside).toBe(heldPts.filter((x, i) => x.actual! >= splitOut[i].lo && x.actual! <= splitOut[i].hi).length);
    for (const c of cov) expect(c.nominal).toBe(90);
    const held = cov[0];
    const pct = Math.round((100 * held.inside) / 17);
    console.log(`readings inside their 90 % intervals on the training billet: held-out ${held.inside}/17 (split-out; against the shown intervals ${counted(own, 'held-out').inside}/17), in-sample ${cov[1].inside}/68`);
    expect(english(held.phrase)).toBe(`readings inside their 90 % intervals: ${held.inside} of 17 (${share(held.inside, 17)}), held-out (split test points of a training image) — each counted against the interval calibrated without its own split's residuals, as the interval shown was sized partly on them`);
    expect(english(cov[1].phrase)).toMatch(/^readings inside their 90 % intervals: \d+ of 68 \(\d+ %\), IN-SAMPLE \(points or image the model trained on\) — no evidence of the intervals' coverage/);
    const text = predictionReport(own);
    expect(text).toContain(english(held.phrase));
    expect(text).toContain(english(cov[1].phrase));
    expect(reportPhraser('it')(held.phrase)).toMatch(new RegExp(`^letture entro i loro intervalli al 90 %: ${held.inside} su 17 \\(${pct} %; Wilson 90 % \\d+–\\d+ %\\), .* — ciascuna contata sull'intervallo calibrato senza i residui della propria suddivisione`));
  });

  it('a billet the model never saw: one out-of-sample count over its 85 readings', () => {
    const cov = other.p.readingsCoverage;
    expect(cov.map((c) => [c.sample, c.n])).toEqual([['out-of-sample', 85]]);
    expect({ n: cov[0].n, inside: cov[0].inside }).toEqual(counted(other.p, 'out-of-sample'));
    expect(cov[0].against).toBe('shown');
    console.log(`readings inside their 90 % intervals on an unseen billet: ${cov[0].inside}/85`);
    expect(predictionReport(other.p)).toContain(`readings inside their 90 % intervals: ${cov[0].inside} of 85 (${share(cov[0].inside, 85)}), out-of-sample (an image never trained on)`);
  });
});

describe("Grad-CAM: the patch's prediction as predict makes it, with its interval and sample label", () => {
  const cam = (billetId: number, label: string) => fixture.api['cnn.gradcam']({ modelId: fixture.modelId, billetId, label, layers: [1] }) as Promise<GradCamResult>;

  it('a held-out, an in-sample and an out-of-sample point: the same mean, interval and label as predict gives', async () => {
    const heldLabel = own.points.find((x) => x.sample === 'held-out')!.label;
    const inLabel = own.points.find((x) => x.sample === 'in-sample')!.label;
    const cases: Array<[BilletPrediction, number, string, string]> = [
      [own, fixture.billetId, heldLabel, 'held-out'],
      [own, fixture.billetId, inLabel, 'in-sample'],
      [other.p, other.billetId, other.p.points[0].label, 'out-of-sample'],
    ];
    for (const [p, billetId, label, sample] of cases) {
      const r = await cam(billetId, label);
      const pt = p.points.find((x) => x.label === label)!;
      expect(r.modelPrediction.sample, label).toBe(sample);
      expect(r.modelPrediction.mean).toBeCloseTo(pt.mean, 5);
      expect(r.modelPrediction.sd).toBeCloseTo(pt.sd, 5);
      expect(r.modelPrediction.interval!.lo).toBeCloseTo(pt.interval!.lo, 5);
      expect(r.modelPrediction.interval!.hi).toBeCloseTo(pt.interval!.hi, 5);
      expect(r.calibration).toEqual(p.calibration);
      expect(r.intervalWords).toBe(p.intervalWords);
      // the single view the overlays explain is another number: one of the 8 views, not their mean
      expect(Number.isFinite(r.prediction)).toBe(true);
      const text = gradCamReport(r);
      expect(text.split('\n')[0]).toBe(`point ${label}: model's prediction ${pt.mean.toFixed(4)} wt.% (mean of 8 views), 90 % interval [${pt.interval!.lo.toFixed(4)}, ${pt.interval!.hi.toFixed(4)}] wt.%; the point is ${sample === 'held-out' ? 'held-out (split test points of a training image)' : sample === 'in-sample' ? 'IN-SAMPLE (points or image the model trained on)' : 'out-of-sample (an image never trained on)'}`);
      expect(text).toContain(`intervals: ${p.intervalWords}`);
      expect(text).toContain(`single view the overlays explain (CNN alone): ${r.prediction.toFixed(4)} wt.%`);
      console.log(`Grad-CAM ${label} (${sample}): model ${r.modelPrediction.mean.toFixed(4)} [${r.modelPrediction.interval!.lo.toFixed(4)}, ${r.modelPrediction.interval!.hi.toFixed(4)}], single view ${r.prediction.toFixed(4)}, measured ${pt.actual?.toFixed(4)}`);
    }
  }, CNN_FIXTURE_TIMEOUT_MS);
});
