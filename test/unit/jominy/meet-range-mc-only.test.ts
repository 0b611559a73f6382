import { describe, expect, it } from 'vitest';
import { jominyServiceSession } from '../../helpers/jominy-service.js';
import { storeVariant } from '../../helpers/jominy-stored-predictor.js';
import { sessionText } from '../../../core/cli/commands/jominy-session-text.js';

/**
 * Review s18 (d): a predictor stored before calibrations kept their held-out cells gives a P(meet band) whose range has
 * neither a calibration range nor a held-out check — the Monte Carlo error (p ± 2 se) alone — yet it was printed like a
 * full range and exported in p_meet_band_lo/hi. Now the CLI marks it ‡ with its own footnote and the CSV leaves lo/hi
 * empty; the same predictor with its cells (the fresh one) keeps its full range, unmarked.
 */
const { db, jobs, svc, paths } = jominyServiceSession();
const ds = svc.datasets.synth({ n: 150, seed: 4 });
const chemistry = { C: 0.4, Mn: 0.8, Si: 0.25, P: 0.012, S: 0.02, Cu: 0.15, Cr: 1.0, Ni: 0.1, Mo: 0.2, B: 0.0002, Ti: 0.003, Nb: 0.002, Sn: 0.01, Al: 0.025, V: 0.01 };

describe('P(meet band) range with neither a calibration range nor a held-out check', () => {
  it('is marked ‡ with its footnote in the CLI table and leaves the CSV lo/hi empty', async () => {
    const end = await jobs.wait(svc.predictors.train({ datasetId: ds.id, seed: 2, maxHidden: 2, epochs: 15, ensemble: 3 }).id);
    expect(end.state).toBe('done');
    const id = (end.result as { modelId: number }).modelId;
    const old = storeVariant(db, paths.root, id, 'before-held-out-cells');
    const q = svc.predict(id, chemistry);
    const band = { kind: 'band' as const, min: q.profile.map((h) => h - 6), max: q.profile.map((h) => h + 6) };
    const bandRun = async (modelId: number) => {
      const e = await jobs.wait(svc.design({ modelId, target: band, seed: 3, settings: { tolerances: { C: 0.02, Mn: 0.05 }, ga: { population: 8, generations: 3, topK: 2 } } }).id);
      expect(e.state).toBe('done');
      return svc.sessions.get((e.result as { sessionId: number }).sessionId);
    };
    const [so, sf] = [await bandRun(old), await bandRun(id)];
    const mo = so.results[0].meet!;
    const mf = sf.results[0].meet!;
    // same draws, same ensemble: the same P; the old one's range is p ± 2 se (held in [0, 1]) and nothing more
    expect(mo.p).toBe(mf.p);
    expect([mo.calibrationRange, mo.heldOut, mo.heldOutWhy]).toEqual([null, null, 'not-stored']);
    expect(mo.range).toEqual([Math.max(0, mo.p - 2 * mo.se), Math.min(1, mo.p + 2 * mo.se)]);
    expect(mf.calibrationRange).not.toBeNull();
    console.log(`P(meet band) ${mo.p.toFixed(3)}: without held-out cells ${mo.range![0].toFixed(3)}–${mo.range![1].toFixed(3)} (Monte Carlo only), with them ${mf.range![0].toFixed(3)}–${mf.range![1].toFixed(3)}`);

    const pct = (v: number) => (100 * v).toFixed(1);
    const oldText = sessionText(so).split('\n');
    // the P(meet band) table's row of rank 1 (the rank table's starts with its deviation, not a percentage)
    const meetRow = (lines: string[]) => lines.find((l) => /^ +1 +\d+\.\d %/.test(l))!;
    const row = meetRow(oldText);
    expect(row).toContain(`${pct(mo.p)} % (${pct(mo.range![0])}–${pct(mo.range![1])})‡`);
    expect(oldText.filter((l) => l.startsWith('‡ '))).toEqual([
      "‡ P(meet band) range: the Monte Carlo error of its draws only (± 2 se), not the probability's precision: neither a calibration range nor a held-out check is in it (held-out check: none — the predictor was trained before it kept its held-out readings (2026-12-01); retrain to check)",
    ]);
    const freshText = sessionText(sf).split('\n');
    expect(meetRow(freshText)).toContain(`${pct(mf.p)} % (${pct(mf.range![0])}–${pct(mf.range![1])}) `);
    expect(freshText.some((l) => l.includes('‡'))).toBe(false);

    const meetCols = (sid: number) => {
      const lines = svc.sessions.export(sid, 'csv').content.split('\n').filter((l) => !l.startsWith('#'));
      const header = lines[0].split(',');
      const r = lines[1].split(',');
      return ['p_meet_band_lo', 'p_meet_band_hi', 'p_meet_band_mc_se', 'p_meet_band_heldout'].map((c) => r[header.indexOf(c)]);
    };
    expect(meetCols(so.id)).toEqual(['', '', String(+mo.se.toFixed(4)), 'not-stored']);
    expect(meetCols(sf.id).slice(0, 2)).toEqual([String(+mf.range![0].toFixed(4)), String(+mf.range![1].toFixed(4))]);
    expect(svc.sessions.export(so.id, 'csv').content.split('\n').find((l) => l.startsWith('# p_meet_band:'))).toContain('p_meet_band_lo/hi are empty where there is neither a calibration range nor a held-out check');
  }, 240_000);
});
