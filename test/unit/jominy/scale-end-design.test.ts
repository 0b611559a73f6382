import { afterAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../../../core/app/context.js';
import { localClient } from '../../../core/app/dispatch.js';
import { DISTANCES_MM, N_POINTS } from '../../../core/jominy/elements.js';
import { leftOutAtStandard, targetScaleRefusal } from '../../../core/jominy/target-scale.js';
import { markWarnings, noNetworkAtStandard, pointMarks } from '../../../core/jominy/point-marks.js';
import { nearestHeats } from '../../../core/jominy/evaluate.js';
import type { JominySample } from '../../../core/jominy/dataset.js';
import { sessionText } from '../../../core/cli/commands/jominy-session-text.js';
import type { DesignSession } from '../../../core/api/methods/jominy.js';
import { english } from '../../../core/runtime/english.js';
import { jobResult } from '../../helpers/job-result.js';
import { tempDir } from '../../helpers/temp.js';

/**
 * JoMiner designs at the end of the Rockwell C scale (20 HRC) and the synthetic label. Before: a target
 * of 15 HRC at 40 mm was designed for (the GA chased a value no reading can have); a design's held, skipped or
 * sub-20 values printed as confident numbers with an interval; a session or evaluation made from synthetic data did
 * not say so; the nearest-heat baseline stepped over a heat's left-out cells as if it had matched there.
 */
const at = (mm: number) => (DISTANCES_MM as readonly number[]).indexOf(mm);
const curve = (v: number) => DISTANCES_MM.map(() => v);

describe('a target below 20 HRC is refused, naming each distance and value', () => {
  it('a curve value or a band high line under 20 at a counted distance; a weight of 0 counts nothing', () => {
    const hardness: (number | null)[] = [52, 51, 49, 46, 42, 39, 37, 35, 32, 30, 29, 28, 27, 19.5, 15];
    const p = targetScaleRefusal({ kind: 'curve', hardness }, null, null)!;
    expect(p).toEqual({ code: 'jominyErrors.targetBelowScale', params: { points: '45 mm: 19.5 HRC; 50 mm: 15 HRC', min: 20 } });
    expect(english(p)).toContain('less than 20 HRC at 45 mm: 19.5 HRC; 50 mm: 15 HRC');
    // weight 0 at 45 and 50 mm: not designed for, nothing to refuse; a blank neither
    expect(targetScaleRefusal({ kind: 'curve', hardness }, DISTANCES_MM.map((d) => (d >= 45 ? 0 : 1)), null)).toBeNull();
    expect(targetScaleRefusal({ kind: 'curve', hardness: hardness.map((v, i) => (i >= 13 ? null : v)) }, null, null)).toBeNull();
    // exactly 20 is on the scale
    expect(targetScaleRefusal({ kind: 'curve', hardness: curve(20) }, null, null)).toBeNull();
    const max: (number | null)[] = curve(60);
    max[at(40)] = 18;
    expect(targetScaleRefusal({ kind: 'band', min: DISTANCES_MM.map(() => null), max }, null, null)).toEqual({ code: 'jominyErrors.bandHighBelowScale', params: { points: '40 mm: 18 HRC', min: 20 } });
  });

  it("a band's low line under 20 only where the predictor's heats were left out below the scale (counted from there on)", () => {
    // heats left out at 25 mm (2) and 35 mm (5) of the dataset: a heat below 20 at 25 mm is below at every later distance
    const leftOut = leftOutAtStandard([{ distanceMm: 25, leftOut: 2 }, { distanceMm: 35, leftOut: 5 }])!;
    expect(leftOut).toEqual(DISTANCES_MM.map((d) => (d < 25 ? 0 : d < 35 ? 2 : 5)));
    expect(leftOutAtStandard(null)).toBeNull();
    // a sixteenths set's J1 (1.5875 mm) counts at 1.5 mm
    expect(leftOutAtStandard([{ distanceMm: 1.5875, leftOut: 1 }])![0]).toBe(1);
    const min: (number | null)[] = DISTANCES_MM.map(() => null);
    min[at(15)] = 18; // no heat left out there: no bound, allowed
    const band = { kind: 'band' as const, min, max: curve(60) };
    expect(targetScaleRefusal(band, null, leftOut)).toBeNull();
    min[at(30)] = 17;
    min[at(50)] = 12;
    expect(targetScaleRefusal(band, null, leftOut)).toEqual({ code: 'jominyErrors.bandLowBelowScale', params: { points: '30 mm: 17 HRC [2]; 50 mm: 12 HRC [5]', min: 20 } });
    // not recorded: the low line is not judged (the session says "not recorded")
    expect(targetScaleRefusal(band, null, null)).toBeNull();
  });
});

describe("a design's values that are no prediction are marked, with no interval", () => {
  it('held beyond the points, no network across a skipped point, capped, below 20 HRC', () => {
    // a predictor on 1.5–40 mm that skipped 11 mm: 11 mm has no network, 45 and 50 mm hold the 40 mm value
    const points = DISTANCES_MM.filter((d) => d !== 11 && d <= 40);
    const noNetwork = noNetworkAtStandard(points, [11]);
    expect(DISTANCES_MM.filter((_, i) => noNetwork[i])).toEqual([11]);
    // a sixteenths-like layout: 25 mm lies between 23.8 and 27 mm, with a skipped point at 25.4 mm between them
    expect(DISTANCES_MM.filter((_, i) => noNetworkAtStandard([20.6, 23.8, 27, 30.2], [25.4])[i])).toEqual([25]);
    const profile = [60, 59, 55, 50, 45, 40, 36, 33, 30, 27, 24, 21, 19.2, 18.4, 18.4];
    const capped = profile.map((_, i) => i < 2);
    const outside = DISTANCES_MM.map((d) => d > 40);
    const marks = pointMarks({ profile, capped, outside, noNetwork });
    expect(marks).toEqual(['capped', 'capped', null, null, null, 'noNetwork', null, null, null, null, null, null, 'belowScale', 'held', 'held']);
    expect(markWarnings([{ rank: 1, marks }, { rank: 2, marks: marks.map((m) => (m === 'belowScale' ? null : m)) }])).toEqual([
      "WARNING: ~ at 45, 50 mm (rank 1, 2): beyond the predictor's first or last point (its dataset did not reach there): the end value is held, not predicted; no interval there",
      'WARNING: ≈ at 11 mm (rank 1, 2): no network there (the point was skipped for too few heats): the value is read between the neighbouring points, not predicted; no interval there',
      'WARNING: * at 1.5, 3 mm (rank 1, 2): capped at the martensite maximum of its carbon: the network predicted more; no interval there',
      'WARNING: < at 40 mm (rank 1): below 20 HRC, where the Rockwell C scale ends: no reading lies there, so the networks only extrapolate; no interval there',
    ]);

    // the CLI: the mark beside the value, its footnote, and no interval at a marked distance
    const interval = { sd: profile.map(() => 1), sdEnsemble: profile.map(() => 1), lo: profile.map((h) => h - 1.645), hi: profile.map((h) => h + 1.645), nominal: 0.9, coverage: 0.9, coverageWhy: 'measured' as const, coverageNote: null, coverageLowest: null, perDistance: true };
    const session: DesignSession = {
      id: 9, name: 'soft end', modelId: 2, predictor: { id: 2, name: 'P', deleted: false }, synthetic: true, parentSessionId: null, seed: 5,
      target: { kind: 'curve', hardness: [60, 59, 55, 50, 45, 40, 36, 33, 30, 27, 24, 21, 20, null, null] },
      settings: {}, run: { state: 'done', error: null, generations: 3, evaluations: 30, stopReason: 'generations', restarts: 1, threads: 1, durationMs: 10, seeds: [5], history: [], ga: { search: 'default', domainWeight: 1 } },
      results: [{ rank: 1, chemistry: { C: 0.62 }, profile, reference: null, objective: 0.4, deviation: 0.4, weightedDeviation: 0.4, costTerm: 0, domain: { inDomain: true, outOfRange: [], distance: 0.5, threshold: 2 }, capped, outside, noNetwork, marks, interval }],
      interruptedAt: null, createdAt: '2026-12-02T10:00:00Z', updatedAt: '2026-12-02T10:00:00Z',
    };
    const lines = sessionText(session).split('\n');
    expect(lines[0]).toMatch(/^session 9: soft end \(SYNTHETIC\); seed 5/);
    const table = lines.slice(lines.indexOf('  mm  target   best  A255(best)') + 1).slice(0, N_POINTS);
    expect(table.map((l) => l.slice(17, 18))).toEqual(['*', '*', ' ', ' ', ' ', '≈', ' ', ' ', ' ', ' ', ' ', ' ', '<', '~', '~']);
    expect(lines).toContain('≈ no network there (the point was skipped for too few heats): the value is read between the neighbouring points, not predicted');
    expect(lines.filter((l) => l.startsWith('WARNING: '))).toHaveLength(4);
    const ivTable = lines.slice(lines.findIndex((l) => l.startsWith('  mm  predicted')) + 1).slice(0, N_POINTS);
    expect(ivTable[at(40)]).toBe('  40     19.2<      –      –');
    expect(ivTable[at(45)]).toBe('  45     18.4~      –      –');
    expect(ivTable[at(5)]).toBe('   5      55.0   53.4   56.6');
  });
});

describe("the nearest-heat baseline does not step over a heat's cells left out below the scale", () => {
  const heat = (hardness: number[], C: number): JominySample => ({ heatId: null, grade: null, grainSize: null, chemistry: { C }, hardness });
  it('counts the least gap its bound allows there (target − 20), so a heat that went soft is not matched on its hard end', () => {
    const target = heat([56, 55, 53, 50, 47, 44, 42, 40, 38, 36, 35, 34, 33, 32, 31], 0.9);
    // A: the target's curve to 25 mm, then left out below 20 HRC (blank) from 30 mm; B: 3 HRC off everywhere
    const a = heat(target.hardness.map((v, i) => (i >= at(30) ? NaN : v)), 0.3);
    const b = heat(target.hardness.map((v) => v + 3), 0.5);
    // before: A's blanks were stepped over, its gap 0 over the points it kept, and A was "nearest"
    expect(nearestHeats([target], [a, b])[0]!.chemistry.C).toBe(0.3);
    // with A left out from 30 mm: gap (0·9 + (36−20)+(35−20)+(34−20)+(33−20)+(32−20)+(31−20)) / 15 = 81/15 = 5.4 > 3
    expect(nearestHeats([target], [a, b], [at(30), null])[0]!.chemistry.C).toBe(0.5);
    // a blank that was not left out (not tested there) is still stepped over
    expect(nearestHeats([target], [a, b], [null, null])[0]!.chemistry.C).toBe(0.3);
  });
});

describe('the synthetic label and the marks through the API, the CLI text and the session CSV', () => {
  const { dir, cleanup } = tempDir('ferrolab-scale-end-');
  afterAll(cleanup);

  it('a design and an evaluation made from synthetic data say so; a sub-20 target is refused in words', async () => {
    const ctx = createAppContext({ dataDir: dir, shell: 'cli', backend: 'wasm' });
    const api = localClient(ctx);
    const ds = await api['jominy.datasets.synth']({ n: 120, seed: 29 });
    expect(ds.synthetic).toBe(true);
    const modelId = ((await jobResult(ctx, (await api['jominy.models.train']({ datasetId: ds.id, seed: 1, maxHidden: 2, epochs: 5, ensemble: 0, name: 'synthetic P' })).id)) as { modelId: number }).modelId;
    const settings = { ga: { population: 10, generations: 3, topK: 3 } };
    const low = [52, 51, 49, 46, 42, 39, 37, 35, 32, 30, 29, 28, 27, 26, 16];
    await expect(api['jominy.design']({ modelId, target: { kind: 'curve', hardness: low }, settings, seed: 3 })).rejects.toMatchObject({
      code: 'invalid_argument', field: 'target', phrase: { code: 'jominyErrors.targetBelowScale', params: { points: '50 mm: 16 HRC', min: 20 } },
    });
    const target = { kind: 'curve' as const, hardness: low.map((v) => Math.max(v, 22)) };
    const sessionId = ((await jobResult(ctx, (await api['jominy.design']({ modelId, target, settings, seed: 3 })).id)) as { sessionId: number }).sessionId;
    const s = await api['jominy.sessions.get']({ id: sessionId });
    expect(s.synthetic).toBe(true);
    expect((await api['jominy.sessions.list']({})).find((x) => x.id === sessionId)!.synthetic).toBe(true);
    // the marks agree with the stored numbers: below the scale exactly where a non-held, uncapped value is under 20
    for (const r of s.results) {
      expect(r.marks).toHaveLength(N_POINTS);
      r.profile.forEach((v, i) => expect(r.marks![i] === 'belowScale').toBe(!r.outside?.[i] && !r.capped?.[i] && !r.noNetwork?.[i] && v < 20));
    }
    const csv = (await api['jominy.sessions.export']({ id: sessionId, format: 'csv' })).content.split('\n');
    expect(csv[0]).toBe(`# SYNTHETIC Ferrolab Jominy design session ${sessionId}: ${s.name} (made with a predictor trained on synthetic data: the generator's numbers, not steel's)`);
    const header = csv.find((l) => l.startsWith('rank,'))!.split(',');
    expect(header.slice(-3)).toEqual(['capped_mm', 'no_network_mm', 'below_scale_mm']);
    const rows = csv.slice(csv.findIndex((l) => l.startsWith('rank,')) + 1).filter(Boolean).map((l) => l.split(','));
    expect(rows).toHaveLength(s.results.length);
    rows.forEach((row, k) => {
      const r = s.results[k];
      const below = DISTANCES_MM.filter((_, i) => r.marks![i] === 'belowScale').join(' ');
      expect(row[header.indexOf('below_scale_mm')]).toBe(below);
      expect(row[header.indexOf('capped_mm')]).toBe(DISTANCES_MM.filter((_, i) => r.marks![i] === 'capped').join(' '));
    });
    // the copy keeps the label
    expect((await api['jominy.sessions.duplicate']({ id: sessionId })).synthetic).toBe(true);

    const evaluationId = ((await jobResult(ctx, (await api['jominy.evaluate']({ modelId, objective: 'base', sweep: false, population: 8, generations: 2, maxTargets: 2, threads: 1, seed: 1 })).id)) as { evaluationId: number }).evaluationId;
    const ev = await api['jominy.evaluations.get']({ id: evaluationId });
    expect(ev.synthetic).toBe(true);
    ctx.close();
  }, 120_000);
});
