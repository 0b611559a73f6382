import { describe, expect, it } from 'vitest';
import { memberSeed } from '../../../core/jominy/ensemble.js';
import { PRIOR_ELEMENTS } from '../../../core/jominy/elements.js';
import { jominyServiceSession } from '../../helpers/jominy-service.js';

// The ensemble through the service: trained with the predictor, its calibration shown, and each design's
// interval, P(meet band) and trust settings stored with its session.
const { jobs, svc } = jominyServiceSession();

const ds = svc.datasets.synth({ n: 200, seed: 9 });
async function train(ensemble?: number) {
  const end = await jobs.wait(svc.predictors.train({ datasetId: ds.id, seed: 2, maxHidden: 2, epochs: 20, ...(ensemble === undefined ? {} : { ensemble }) }).id);
  expect(end.state).toBe('done');
  return (end.result as { modelId: number }).modelId;
}

describe('ensemble and calibration through the JoMiner service', () => {
  it('trains 5 members by default; the model shows their seeds, calibration and held-out coverage', async () => {
    const id = await train();
    const m = svc.predictors.get(id);
    expect(m.ensembleSize).toBe(5);
    const u = m.uncertainty!;
    expect(u.seeds).toEqual([0, 1, 2, 3, 4].map((k) => memberSeed(2, k)));
    expect(u.cells).toBe(m.split.test * 15);
    expect(u.coverage).toBeGreaterThan(0.8);
    expect(u.coverage).toBeLessThan(0.97);
    expect(m.coverage90).toBe(u.coverage);
    expect(svc.predictors.list().find((x) => x.id === id)!.coverage90).toBe(u.coverage);
    expect(u.trainSeconds).toBeGreaterThan(0);

    // A band around the predicted curve of a training chemistry, with melt tolerances.
    const p = svc.predict(id, { C: 0.4, Mn: 0.8, Si: 0.25, P: 0.012, S: 0.02, Cu: 0.15, Cr: 1.0, Ni: 0.1, Mo: 0.2, B: 0.0002, Ti: 0.003, Nb: 0.002, Sn: 0.01, Al: 0.025, V: 0.01 });
    expect(p.interval!.lo.every((lo, i) => lo < p.profile[i] && p.interval!.hi[i] > p.profile[i])).toBe(true);
    const band = { kind: 'band' as const, min: p.profile.map((v, i) => (i % 4 === 0 ? v - 4 : null)), max: p.profile.map((v, i) => (i % 4 === 0 ? v + 4 : null)) };
    const job = svc.design({ modelId: id, target: band, seed: 3, settings: { tolerances: { C: 0.02, Mn: 0.05 }, ga: { population: 12, generations: 6, topK: 2 } } });
    const end = await jobs.wait(job.id);
    expect(end.state).toBe('done');
    const s = svc.sessions.get((end.result as { sessionId: number }).sessionId);
    expect(s.settings.trust).toEqual({ sdWeight: 4, robustWeight: 0 });
    expect(s.settings.tolerances).toEqual({ C: 0.02, Mn: 0.05 });
    expect(s.run!.ga.domainWeight).toBe(4);
    // With the domain penalty on, the elements no network takes, or takes beyond the priors, are not searched; the run says which.
    const priorsUsed = m.usedElements.filter((el) => PRIOR_ELEMENTS.includes(el));
    expect(s.run!.held!.length).toBeGreaterThan(0);
    expect(s.run!.held!.filter((el) => priorsUsed.includes(el))).toEqual([]);
    expect([...s.run!.held!, ...priorsUsed].sort()).toEqual(['Al', 'B', 'C', 'Cr', 'Cu', 'Mn', 'Mo', 'Nb', 'Ni', 'P', 'S', 'Si', 'Sn', 'Ti', 'V']);
    for (const r of s.results) {
      expect(r.interval!.sd).toHaveLength(15);
      expect(r.interval!.coverage).toBe(u.coverage);
      expect(r.meet!.p).toBeGreaterThan(0);
      expect(r.meet!.p).toBeLessThanOrEqual(1);
      expect(r.meet!.tolerances).toEqual({ C: 0.02, Mn: 0.05 });
      expect(typeof r.domain.distance).toBe('number');
    }
    // Maximising P(meet band) needs tolerances.
    expect(() => svc.design({ modelId: id, target: band, seed: 3, settings: { trust: { robustWeight: 10 } } })).toThrow('maximising P(meet band) needs melt tolerances');
    expect(() => svc.design({ modelId: id, target: { kind: 'curve', hardness: p.profile }, seed: 3, settings: { trust: { robustWeight: 10 }, tolerances: { C: 0.02 } } })).toThrow('needs a band target');
  });

  it('a predictor trained without an ensemble says so: no intervals, no P(meet band), a note on the session', async () => {
    const id = await train(0);
    expect(svc.predictors.get(id)).toMatchObject({ ensembleSize: 0, coverage90: null, uncertainty: null });
    const curve = svc.predictors.get(id).points.map(() => 40);
    const end = await jobs.wait(svc.design({ modelId: id, target: { kind: 'curve', hardness: curve }, seed: 1, settings: { ga: { population: 8, generations: 3, topK: 1 } } }).id);
    const s = svc.sessions.get((end.result as { sessionId: number }).sessionId);
    expect(s.settings.trustNote).toMatch(/no ensemble/);
    expect(s.settings.trust).toEqual({ sdWeight: 0, robustWeight: 0 });
    expect(s.results[0].interval).toBeNull();
    expect(s.results[0].meet).toBeNull();
  });
});
