import { describe, expect, it } from 'vitest';
import { coverageWhy } from '../../../core/jominy/coverage-why.js';
import { english } from '../../../core/runtime/english.js';
import { jominyServiceSession } from '../../helpers/jominy-service.js';
import { storeVariant } from '../../helpers/jominy-stored-predictor.js';

// A predictor's 90 % coverage says what it is: measured by the current cross-fit, or why there is none — no ensemble,
// a cross-fit half too small, or stored before the cross-fit calibration (whose coverage may be a one-heat half's
// false 1.00 and is not shown as measured). Tests fail before: the list gave 1 for the old-style predictor and no reason.
const { db, jobs, svc, paths, repos } = jominyServiceSession();
const ds = svc.datasets.synth({ n: 150, seed: 4 });
const chemistry = { C: 0.4, Mn: 0.8, Si: 0.25, P: 0.012, S: 0.02, Cu: 0.15, Cr: 1.0, Ni: 0.1, Mo: 0.2, B: 0.0002, Ti: 0.003, Nb: 0.002, Sn: 0.01, Al: 0.025, V: 0.01 };
const STORED_BEFORE = 'not re-measured: stored before the cross-fit calibration (2026-11-30); retrain to measure';
const MEET_STORED_BEFORE = "calibration not measured: the predictor's interval scale was stored before the cross-fit calibration (2026-11-30); read it to compare designs, not as a share of heats; retrain to measure";
const MEET_HALF_TOO_SMALL = "calibration not measured: too few held-out heats to cross-fit the predictor's interval scale; read it to compare designs, not as a share of heats";

describe('the coverage of a stored calibration', () => {
  it('tells the calibration eras apart from what each stored', () => {
    expect(coverageWhy(null, true)).toBe('no-ensemble');
    expect(coverageWhy({ coverage: 0.9, version: 2 }, false)).toBe('measured');
    // split.heats came after the cross-fit's null: a predictor with it was calibrated the current way
    expect(coverageWhy({ coverage: 0.9 }, true)).toBe('measured');
    expect(coverageWhy({ coverage: null }, false)).toBe('half-too-small');
    expect(coverageWhy({ coverage: 1 }, false)).toBe('stored-before-cross-fit');
  });

  it('a predictor stored before the cross-fit calibration: null coverage and the reason in the list, the page, predict and design', async () => {
    const end = await jobs.wait(svc.predictors.train({ datasetId: ds.id, seed: 2, maxHidden: 2, epochs: 15, ensemble: 3 }).id);
    expect(end.state).toBe('done');
    const id = (end.result as { modelId: number }).modelId;
    const fresh = svc.predictors.get(id);
    expect(fresh.coverage90Why).toBe('measured');
    expect(fresh.coverage90).toBeGreaterThan(0.7);
    expect(fresh.coverage90).toBe(fresh.uncertainty!.coverage);
    expect(fresh.coverage90Note).toBeNull();

    const old = storeVariant(db, paths.root, id, 'before-cross-fit');
    const small = storeVariant(db, paths.root, id, 'half-too-small');
    const none = storeVariant(db, paths.root, id, 'no-ensemble');
    const rowBefore = db.prepare('SELECT metrics_json FROM models WHERE id = ?').get(old);

    // the list distinguishes the four reasons; only the measured one has a number
    const listed = new Map(svc.predictors.list().map((m) => [m.id, m]));
    expect([id, old, small, none].map((k) => [listed.get(k)!.coverage90, listed.get(k)!.coverage90Why])).toEqual([
      [fresh.coverage90, 'measured'],
      [null, 'stored-before-cross-fit'],
      [null, 'half-too-small'],
      [null, 'no-ensemble'],
    ]);
    expect(english(listed.get(old)!.coverage90Note!)).toBe(STORED_BEFORE);
    expect(english(listed.get(small)!.coverage90Note!)).toBe('not measured: too few held-out heats to cross-fit (a half could not calibrate)');
    expect(english(listed.get(none)!.coverage90Note!)).toMatch(/^none: the predictor has no ensemble/);

    // the predictor page: the stored 1.00 is not stated, overall or per point; the uncalibrated figure stays
    const page = svc.predictors.get(old);
    expect(page.coverage90).toBeNull();
    expect(page.uncertainty!.coverage).toBeNull();
    expect(page.uncertainty!.coveragePoints.every((c) => c === null)).toBe(true);
    expect(page.uncertainty!.coverageWhy).toBe('stored-before-cross-fit');
    expect(english(page.uncertainty!.coverageNote!)).toBe(STORED_BEFORE);
    expect(page.uncertainty!.rawCoverage).toBe(fresh.uncertainty!.rawCoverage);
    // its count of held-out heats was of rows: none stated, the test rows instead
    expect([page.uncertainty!.heats, page.uncertainty!.testRows]).toEqual([null, fresh.split.test]);
    expect([fresh.uncertainty!.heats, fresh.uncertainty!.testRows]).toEqual([fresh.splitHeats!.test, fresh.split.test]);

    // predict: the same interval as the fresh predictor's, its coverage withheld with the reason
    const p = svc.predict(old, chemistry);
    const q = svc.predict(id, chemistry);
    expect(p.interval!.lo).toEqual(q.interval!.lo);
    expect([p.interval!.coverage, p.interval!.coverageWhy, english(p.interval!.coverageNote!)]).toEqual([null, 'stored-before-cross-fit', STORED_BEFORE]);
    expect([q.interval!.coverage, q.interval!.coverageWhy, q.interval!.coverageNote]).toEqual([fresh.coverage90, 'measured', null]);

    // a design with it stores and shows the reason with each interval
    const d = await jobs.wait(svc.design({ modelId: old, target: { kind: 'curve', hardness: q.profile }, seed: 1, settings: { ga: { population: 8, generations: 3, topK: 2 } } }).id);
    expect(d.state).toBe('done');
    const s = svc.sessions.get((d.result as { sessionId: number }).sessionId);
    expect(s.results.map((r) => [r.interval!.coverage, r.interval!.coverageWhy])).toEqual(s.results.map(() => [null, 'stored-before-cross-fit']));

    // P(meet band) is computed from the same interval scale: the old-style predictor's carries the caveat that its
    // calibration is not measured (the same number as the measured one's: same ensemble, same seed); the measured
    // one's carries none. In the stored session, its JSON export and its CSV export.
    const band = { kind: 'band' as const, min: q.profile.map((h) => h - 6), max: q.profile.map((h) => h + 6) };
    const bandRun = async (modelId: number) => {
      const e = await jobs.wait(svc.design({ modelId, target: band, seed: 3, settings: { tolerances: { C: 0.02, Mn: 0.05 }, ga: { population: 8, generations: 3, topK: 2 } } }).id);
      expect(e.state).toBe('done');
      return svc.sessions.get((e.result as { sessionId: number }).sessionId);
    };
    const [bo, bf] = [await bandRun(old), await bandRun(id)];
    expect(bo.results.map((r) => r.meet!.p)).toEqual(bf.results.map((r) => r.meet!.p));
    expect(bo.results.every((r) => r.meet!.p > 0 && r.meet!.p < 1)).toBe(true);
    expect(bo.results.map((r) => [r.meet!.calibrationWhy, english(r.meet!.calibrationNote!)])).toEqual(bo.results.map(() => ['stored-before-cross-fit', MEET_STORED_BEFORE]));
    expect(bf.results.map((r) => [r.meet!.calibrationWhy, r.meet!.calibrationNote])).toEqual(bf.results.map(() => ['measured', null]));
    const exportedMeet = JSON.parse(svc.sessions.export(bo.id, 'json').content).session.results[0].meet;
    expect([exportedMeet.p, exportedMeet.calibrationWhy]).toEqual([bo.results[0].meet!.p, 'stored-before-cross-fit']);
    const csvCells = (sid: number) => {
      const lines = svc.sessions.export(sid, 'csv').content.split('\n').filter((l) => !l.startsWith('#'));
      const header = lines[0].split(',');
      const row = lines[1].split(',');
      return [row[header.indexOf('p_meet_band')], row[header.indexOf('p_meet_band_calibration')]];
    };
    expect(csvCells(bo.id)).toEqual([String(+bo.results[0].meet!.p.toFixed(4)), 'stored-before-cross-fit']);
    expect(csvCells(bf.id)).toEqual([String(+bf.results[0].meet!.p.toFixed(4)), 'measured']);
    // P(meet band)'s range, its Monte Carlo error alone and its held-out check, in the columns added last
    const meetCols = (sid: number) => {
      const lines = svc.sessions.export(sid, 'csv').content.split('\n').filter((l) => !l.startsWith('#'));
      const header = lines[0].split(',');
      const row = lines[1].split(',');
      return ['p_meet_band', 'p_meet_band_lo', 'p_meet_band_hi', 'p_meet_band_mc_se', 'p_meet_band_heldout'].map((c) => row[header.indexOf(c)]);
    };
    const m = bf.results[0].meet!;
    const [p0, lo0, hi0, se0, check0] = meetCols(bf.id);
    expect([Number(lo0), Number(hi0), Number(se0)]).toEqual([+m.range![0].toFixed(4), +m.range![1].toFixed(4), +m.se.toFixed(4)]);
    expect(Number(lo0) <= Number(p0) && Number(p0) <= Number(hi0) && Number(hi0) - Number(lo0) > 4 * m.se).toBe(true);
    expect(check0).toBe(`${m.heldOut!.heats} held-out heats: P ${m.heldOut!.meanP.toFixed(3)} at the cross-fit halves' k (${m.heldOut!.meanPStored!.toFixed(3)} at the stored k); met ${m.heldOut!.share.toFixed(3)} (${m.heldOut!.lo.toFixed(3)}-${m.heldOut!.hi.toFixed(3)})`);
    expect(svc.sessions.export(bf.id, 'csv').content.split('\n').find((l) => l.startsWith('# p_meet_band:'))).toContain('p_meet_band_mc_se is the Monte Carlo error only');
    // the calibration column, added after the sd_J* ones were read by position, is the last: p_meet_band and sd_J* keep their places
    const header = svc.sessions.export(bf.id, 'csv').content.split('\n').filter((l) => !l.startsWith('#'))[0].split(',');
    // (then held_end_value_mm, added after it, P(meet band)'s range, Monte Carlo error and held-out check, and the
    // distances marked capped / without a network / below the scale last of all)
    expect([header.indexOf('p_meet_band'), header.indexOf('sd_J1.5'), ...header.slice(-9)]).toEqual([header.length - 25, header.length - 24, 'p_meet_band_calibration', 'held_end_value_mm', 'p_meet_band_lo', 'p_meet_band_hi', 'p_meet_band_mc_se', 'p_meet_band_heldout', 'capped_mm', 'no_network_mm', 'below_scale_mm']);
    // the CSV's sd columns say what their interval covers: not measured for the old predictor, in words
    const intervalLine = (sid: number) => svc.sessions.export(sid, 'csv').content.split('\n').find((l) => l.startsWith('# interval'));
    expect(intervalLine(bo.id)).toBe(`# interval: nominal 90 % = ± 1.645 sd_J*; ${STORED_BEFORE}`);
    expect(intervalLine(bf.id)).toBe(`# interval: nominal 90 % = ± 1.645 sd_J*; held-out coverage ${bf.results[0].interval!.coverage!.toFixed(2)}`);
    // a half-too-small predictor's P(meet band) says its own reason
    const bs = await bandRun(small);
    expect([bs.results[0].meet!.calibrationWhy, english(bs.results[0].meet!.calibrationNote!)]).toEqual(['half-too-small', MEET_HALF_TOO_SMALL]);

    // reading never rewrote the stored row
    expect(db.prepare('SELECT metrics_json FROM models WHERE id = ?').get(old)).toEqual(rowBefore);
  });

  it('a design session stored before intervals said why: its predictor tells, and a deleted one withholds the number', () => {
    // the predictors of the test above: the one trained now and its copy stored as before the cross-fit calibration
    const fresh = svc.predictors.list().find((m) => m.coverage90Why === 'measured')!;
    const old = svc.predictors.list().find((m) => m.coverage90Why === 'stored-before-cross-fit')!;
    const q = svc.predict(fresh.id, chemistry);
    // a result as the code before this change stored it: the interval with its predictor's stored coverage, no reason
    const storedInterval = (coverage: number | null) => ({ sd: q.interval!.sd, sdEnsemble: q.interval!.sdEnsemble, lo: q.interval!.lo, hi: q.interval!.hi, nominal: 0.9, coverage });
    const store = (modelId: number, coverage: number | null) => {
      const id = repos.sessions.createSession({ name: `stored ${modelId}`, modelId, parentSessionId: null, target: { kind: 'curve', hardness: q.profile }, settings: {}, seed: 1, run: { state: 'running' } });
      const result = { rank: 1, chemistry, profile: q.profile, reference: null, objective: 1, deviation: 1, weightedDeviation: 1, costTerm: 0, domain: q.domain, capped: q.capped, interval: storedInterval(coverage), meet: { p: 0.5, se: 0.01, draws: 2000, seed: 1, tolerances: { C: 0.02 } } };
      repos.sessions.finishSession(id, { state: 'done' }, [result as never]);
      return id;
    };
    const fromFresh = store(fresh.id, fresh.coverage90);
    const fromOld = store(old.id, 1);
    const unmeasured = store(fresh.id, null);
    const iv = (sid: number) => svc.sessions.get(sid).results[0].interval!;
    expect([iv(fromFresh).coverage, iv(fromFresh).coverageWhy]).toEqual([fresh.coverage90, 'measured']);
    expect([iv(fromOld).coverage, iv(fromOld).coverageWhy, english(iv(fromOld).coverageNote!)]).toEqual([null, 'stored-before-cross-fit', STORED_BEFORE]);
    expect([iv(unmeasured).coverage, iv(unmeasured).coverageWhy]).toEqual([null, 'half-too-small']);
    // a P(meet band) stored without its calibration takes its interval's
    const meet = (sid: number) => svc.sessions.get(sid).results[0].meet!;
    expect([fromFresh, fromOld, unmeasured].map((sid) => [meet(sid).p, meet(sid).calibrationWhy, meet(sid).calibrationNote?.code ?? null])).toEqual([
      [0.5, 'measured', null],
      [0.5, 'stored-before-cross-fit', 'jominy.meetCaveat.storedBeforeCrossFit'],
      [0.5, 'half-too-small', 'jominy.meetCaveat.halfTooSmall'],
    ]);
    // the predictor deleted (the session keeps its results, modelId null): a stored number cannot be told from a false 1.00
    svc.predictors.remove(fresh.id);
    expect(svc.sessions.get(fromFresh).modelId).toBeNull();
    expect([iv(fromFresh).coverage, iv(fromFresh).coverageWhy, meet(fromFresh).calibrationWhy]).toEqual([null, 'stored-before-cross-fit', 'stored-before-cross-fit']);
    // the export says the same
    const exported = JSON.parse(svc.sessions.export(fromOld, 'json').content);
    expect(exported.session.results[0].interval.coverageWhy).toBe('stored-before-cross-fit');
  });
});
