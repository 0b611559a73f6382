import { describe, expect, it } from 'vitest';
import { apiSession } from '../../helpers/api-session.js';
import { DISTANCES_MM, ELEMENTS } from '../../../core/jominy/elements.js';
import { martensiteMaxHrc } from '../../../core/jominy/martensite.js';

const { ctx, api, finished } = apiSession();

describe('jominy.* contract end to end (in process)', () => {
  let datasetId = 0;
  let modelId = 0;
  let sessionId = 0;

  it('generates a labelled synthetic dataset and refuses a bad CSV by line without importing anything', async () => {
    const ds = await api['jominy.datasets.synth']({ n: 150, seed: 3 });
    expect(ds).toMatchObject({ synthetic: true, seed: 3, sampleCount: 150, source: 'synthetic:ferrolab-synth-v2' });
    expect(ds.notes).toMatch(/^SYNTHETIC/);
    datasetId = ds.id;
    const grades = await api['jominy.datasets.grades']({ id: ds.id });
    expect(grades.map((g) => g.grade)).toEqual(['synthetic 20MnCr5-type', 'synthetic 27MnCrB5-type', 'synthetic 42CrMo4-type', 'synthetic 8620/4340-type', 'synthetic C45-type']);
    expect(grades.reduce((a, g) => a + g.n, 0)).toBe(150);
    for (const g of grades) g.mean.forEach((m, i) => expect(g.low[i]! <= m! && m! <= g.high[i]!).toBe(true));
    const header = ['heat_id', ...ELEMENTS, ...DISTANCES_MM.map((d) => `J${d}`)].join(',');
    const row = (b: string) => ['H1', 0.4, 0.8, 0.25, 0.01, 0.02, 0.1, 1, 0.1, 0.2, b, 0, 0, 0.01, 0.02, 0, 58, 57, 52, 45, 38, 34, 32, 30, 28, 26, 25, 24, 23, 22, 21].join(',');
    const uploadId = ctx.uploads.saveBytes(Buffer.from(`${header}\n${row('0.002')}\n${row('25')}\n`));
    await expect(api['jominy.datasets.import']({ upload: { uploadId, name: 'bad.csv' } })).rejects.toMatchObject({
      code: 'invalid_argument',
      details: [{ line: 3, column: 'B', message: expect.stringMatching(/looks like ppm/) }],
    });
    expect(await api['jominy.datasets.list']({})).toHaveLength(1);
    const ok = ctx.uploads.saveBytes(Buffer.from(`${header}\n${row('0.002')}\n`));
    const imported = await api['jominy.datasets.import']({ upload: { uploadId: ok, name: 'good.csv' } });
    expect(imported).toMatchObject({ name: 'good', synthetic: false, sampleCount: 1 });
    const page = await api['jominy.datasets.samples']({ id: imported.id });
    expect(page.samples[0]).toMatchObject({ lineNo: 2, heatId: 'H1', chemistry: { B: 0.002 }, hardness: [58, 57, 52, 45, 38, 34, 32, 30, 28, 26, 25, 24, 23, 22, 21] });
  });

  it('trains a predictor as a job and reports per-point metrics and the inputs table', async () => {
    const inputs = Array.from({ length: 15 }, (_, p) => (p === 2 ? { elements: ['C' as const, 'Mn' as const, 'Cr' as const, 'B' as const], points: [0, 1] } : null));
    await expect(api['jominy.models.train']({ datasetId, inputs: inputs.map((x, p) => (p === 1 ? { elements: ['C' as const], points: [1] } : x)) })).rejects.toMatchObject({ code: 'invalid_argument', field: 'inputs.1.points' });
    const job = await api['jominy.models.train']({ datasetId, seed: 4, maxHidden: 2, epochs: 30, inputs });
    expect(job.state).toBe('running');
    modelId = (await finished(job.id)).modelId;
    const m = await api['jominy.models.get']({ id: modelId });
    expect(m).toMatchObject({ synthetic: true, seed: 4, split: { test: 45 } });
    expect(m.points).toHaveLength(15);
    expect(m.inputs.map((i) => i.distanceMm)).toEqual([...DISTANCES_MM]);
    expect(m.mae).toBeLessThan(2.5);
    expect(m.inputs.every((i) => i.gamma < i.nw && i.nh <= 2)).toBe(true);
    expect(m.inputs[2]).toMatchObject({ elements: ['C', 'Mn', 'Cr', 'B'], points: [1.5, 3] });
    // Automatic selection always takes the priors: leaving one out is refused, never read as 0.
    expect(m.usedElements).toEqual(expect.arrayContaining(['C', 'Mn', 'Si', 'Cr', 'Ni', 'Mo', 'B']));
    await expect(api['jominy.predict']({ modelId, chemistry: { C: 0.4, Mn: 0.8, Si: 0.25, Cr: 1.0, Mo: 0.2 } })).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringMatching(new RegExp(`^chemistry: missing ${m.usedElements.filter((el) => !['C', 'Mn', 'Si', 'Cr', 'Mo'].includes(el)).join(', ')}: predictor ${modelId} uses them`)),
    });
    const zero = Object.fromEntries(ELEMENTS.map((el) => [el, 0]));
    const p = await api['jominy.predict']({ modelId, chemistry: { ...zero, C: 0.4, Mn: 0.8, Si: 0.25, Cr: 1.0, Mo: 0.2 } });
    expect(p.profile).toHaveLength(15);
    expect(p.omitted).toEqual([]);
    expect(p.reference!.diMm).toBeGreaterThan(100);
    expect(p.domain.inDomain).toBe(false); // zero residuals (P, S, Cu…) are outside every synthetic heat's range
  });

  it('refuses C = 5 wt.% by element, value and limit, and caps a high-carbon prediction at the martensite maximum', async () => {
    await expect(api['jominy.predict']({ modelId, chemistry: { C: 5 } })).rejects.toMatchObject({
      code: 'invalid_argument',
      field: 'chemistry.C',
      message: 'jominy.predict: field "chemistry.C": C 5 wt.% is above the limit of 1.2 wt.%',
    });
    const heat = (await api['jominy.datasets.samples']({ id: datasetId, limit: 1 })).samples[0];
    // 1.2 % C is inside the limits but far outside the training data: the networks extrapolate upwards.
    const p = await api['jominy.predict']({ modelId, chemistry: { ...heat.chemistry, C: 1.2 } });
    expect(p.martensiteMaxHrc).toBeCloseTo(65.78, 2); // A255 IH at 0.70 % C, held above it
    expect(Math.max(...p.profile)).toBeLessThanOrEqual(p.martensiteMaxHrc);
    expect(p.capped.some(Boolean)).toBe(true);
    p.capped.forEach((c, i) => (c ? expect(p.profile[i]).toBe(p.martensiteMaxHrc) : expect(p.profile[i]).toBeLessThan(p.martensiteMaxHrc)));
  });

  it('lets a chemistry leave out only the elements the predictor does not use', async () => {
    const priors = ['C', 'Mn', 'Si', 'Cr', 'Ni', 'Mo', 'B'] as const;
    const inputs = Array.from({ length: 15 }, (_, p) => ({ elements: [...priors], points: p > 0 ? [p - 1] : [] }));
    const job = await api['jominy.models.train']({ datasetId, seed: 2, maxHidden: 1, epochs: 10, inputs });
    const id = (await finished(job.id)).modelId;
    expect((await api['jominy.models.get']({ id })).usedElements).toEqual([...priors]);
    const chem = { C: 0.4, Mn: 0.8, Si: 0.25, Cr: 1.0, Ni: 0.1, Mo: 0.2, B: 0.0002 };
    const p = await api['jominy.predict']({ modelId: id, chemistry: chem });
    expect(p.omitted).toEqual(['P', 'S', 'Cu', 'Ti', 'Nb', 'Sn', 'Al', 'V']);
    // A255 takes Cu and V, which were not given: no reference rather than one computed with 0.
    expect(p.reference).toBeNull();
    expect(p.referenceError).toBe('missing Cu, V: the A255 reference uses them (write 0 for an element the steel does not contain)');
    // Unused means unused: any value of an omitted element gives the same curve.
    const full = await api['jominy.predict']({ modelId: id, chemistry: { ...chem, P: 0.02, S: 0.03, Cu: 0.2, Ti: 0.03, Nb: 0.02, Sn: 0.01, Al: 0.03, V: 0.01 } });
    expect(full.profile).toEqual(p.profile);
    expect(p.domain.outOfRange.filter((o) => p.omitted.includes(o.element))).toEqual([]);
    const { Ni: _ni, ...noNi } = chem;
    await expect(api['jominy.predict']({ modelId: id, chemistry: noNi })).rejects.toMatchObject({
      code: 'invalid_argument',
      message: `chemistry: missing Ni: predictor ${id} uses it (write 0 for an element the steel does not contain)`,
    });
    await expect(api['jominy.reference']({ chemistry: { C: 0.4, Mn: 0.8 } })).rejects.toMatchObject({ message: expect.stringMatching(/^chemistry: missing Si, Cu, Cr, Ni, Mo, V: the A255 calculation uses them/) });
    await api['jominy.models.delete']({ id });
  });

  it('designs as a job, stores the session with seeds, and duplicates/renames/exports it', async () => {
    const heat = (await api['jominy.datasets.samples']({ id: datasetId, limit: 1 })).samples[0];
    // the heat's predicted curve as a lab would type it: distances where it reads below 20 HRC (no Rockwell C reading
    // there; such a target is refused, scale-end-design.test.ts) left empty
    const target = (await api['jominy.predict']({ modelId, chemistry: heat.chemistry })).profile.map((v) => (v >= 20 ? v : null));
    await expect(api['jominy.design']({ modelId, target: { kind: 'band', min: Array(15).fill(40), max: Array(15).fill(30) } })).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringMatching(/min 40 is above max 30/) });
    await expect(api['jominy.design']({ modelId, target: { kind: 'curve', hardness: target }, settings: { linear: ['Mn/Q>=3'] } })).rejects.toMatchObject({ code: 'invalid_argument' });
    const job = await api['jominy.design']({ modelId, name: 'own curve', target: { kind: 'curve', hardness: target }, seed: 9, settings: { restarts: 2, ga: { population: 24, generations: 30, topK: 3 }, linear: ['Mn/S>=20'] } });
    sessionId = (await finished(job.id)).sessionId;
    const s = await api['jominy.sessions.get']({ id: sessionId });
    expect(s.run).toMatchObject({ state: 'done', restarts: 2, generations: 30, evaluations: 2 * 24 * 31 });
    expect(s.run!.seeds).toHaveLength(2);
    // The search is stored with the session (default: GA + CMA-ES refinement), in its settings and its run.
    expect(s.run!.ga.search).toBe('default');
    expect(s.settings.ga!.search).toBe('default');
    expect(s.run!.history.map((h) => h.phase)).toEqual([...Array(3).fill('ga'), ...Array(27).fill('refine')]);
    expect(s.results.length).toBeGreaterThanOrEqual(1);
    expect(s.results[0].deviation).toBeLessThan(1.0);
    for (const r of s.results) expect(r.chemistry.Mn! / r.chemistry.S!).toBeGreaterThanOrEqual(20);
    for (const r of s.results) {
      // Each point marked capped or not; none above the martensite maximum of the design's carbon.
      expect(r.capped).toHaveLength(15);
      const max = martensiteMaxHrc(r.chemistry.C!);
      r.profile.forEach((h, i) => (r.capped![i] ? expect(h).toBe(max) : expect(h).toBeLessThan(max)));
    }
    const copy = await api['jominy.sessions.duplicate']({ id: sessionId });
    expect(copy).toMatchObject({ name: 'own curve (copy)', parentSessionId: sessionId, results: s.results });
    const renamed = await api['jominy.sessions.rename']({ id: copy.id, name: 'variant B' });
    expect(renamed.name).toBe('variant B');
    const csv = await api['jominy.sessions.export']({ id: sessionId, format: 'csv' });
    const all = csv.content.trim().split('\n');
    // the sd columns are an interval: a comment line says what it covers, with the measured coverage
    expect(all.find((l) => l.startsWith('# interval'))).toBe(`# interval: nominal 90 % = ± 1.645 sd_J*; held-out coverage ${s.results[0].interval!.coverage!.toFixed(2)}`);
    const lines = all.filter((l) => !l.startsWith('#'));
    expect(lines).toHaveLength(1 + s.results.length);
    // … p_meet_band (empty for a curve target), sd per point, then p_meet_band_calibration: the columns added later are
    // at the end, so the sd columns stay where readers by position had them (P(meet band)'s range and check, then the marked distances, last)
    const header = lines[0].split(',');
    expect(header).toHaveLength(7 + 15 + 15 + 15 + 1 + 15 + 1 + 1 + 4 + 3);
    expect(header.slice(7 + 45)).toEqual(['p_meet_band', ...DISTANCES_MM.map((d) => `sd_J${d}`), 'p_meet_band_calibration', 'held_end_value_mm', 'p_meet_band_lo', 'p_meet_band_hi', 'p_meet_band_mc_se', 'p_meet_band_heldout', 'capped_mm', 'no_network_mm', 'below_scale_mm']);
    const row = lines[1].split(',');
    // a distance whose value is not a prediction (held, no network, capped, below 20 HRC) has no interval: empty there
    const marks = s.results[0].marks ?? [];
    expect(marks.filter((m) => m === null).length).toBeGreaterThan(8);
    s.results[0].interval!.sd.forEach((sd, i) => (marks[i] ? expect(row[7 + 45 + 1 + i]).toBe('') : expect(Number(row[7 + 45 + 1 + i])).toBeCloseTo(sd, 3)));
    expect(row[header.indexOf('p_meet_band_calibration')]).toBe(''); // a curve target: no P(meet band), no calibration
    expect(row[header.indexOf('held_end_value_mm')]).toBe(''); // a predictor on the 15 standard distances holds no end value
    expect(row.slice(-7, -3)).toEqual(['', '', '', '']); // nor a range, Monte Carlo error or held-out check
    // the marked distances, as the session's marks say (this design: capped at martensite near the quenched end, and
    // below 20 HRC far from it)
    expect(row.slice(-3)).toEqual((['capped', 'noNetwork', 'belowScale'] as const).map((k) => DISTANCES_MM.filter((_, i) => marks[i] === k).join(' ')));
    expect(Number(lines[1].split(',')[2])).toBeCloseTo(s.results[0].deviation, 3);
    const json = JSON.parse((await api['jominy.sessions.export']({ id: sessionId, format: 'json' })).content);
    expect(json.session.seed).toBe(9);
    const list = await api['jominy.sessions.list']({});
    expect(list.map((x) => x.name)).toEqual(['variant B', 'own curve']);
  });

  it('cancels a running design and records it', async () => {
    const job = await api['jominy.design']({ modelId, name: 'long', target: { kind: 'curve', hardness: Array(15).fill(40) }, settings: { ga: { population: 500, generations: 10000 } } });
    await expect.poll(() => ctx.jobs.get(job.id).progress ?? 0, { timeout: 90_000 }).toBeGreaterThan(0); // workers start slowly on a busy machine
    await api['jobs.cancel']({ jobId: job.id });
    expect((await ctx.jobs.wait(job.id)).state).toBe('cancelled');
    const s = (await api['jominy.sessions.list']({})).find((x) => x.name === 'long')!;
    expect(s.state).toBe('cancelled');
  });

  it('evaluates the optimiser over the test heats, with the generating model as a second judge', async () => {
    const job = await api['jominy.evaluate']({ modelId, maxTargets: 4, population: 12, generations: 8, threads: 2, seed: 5 });
    const { evaluationId } = await finished(job.id);
    const e = await api['jominy.evaluations.get']({ id: evaluationId });
    expect(e.runs).toHaveLength(1);
    expect(e.runs[0]).toMatchObject({ r: 3, alpha: 15, objective: 'base', targets: 4 });
    expect(e.runs[0].profile.points).toHaveLength(15);
    expect(e.runs[0].truth).not.toBeNull();
    expect(e.runs[0].elements).toHaveLength(15);
    expect(e.params.search).toBe('default');
    // The paper's GA stays selectable and is stored as chosen.
    const paper = await api['jominy.evaluations.get']({ id: (await finished((await api['jominy.evaluate']({ modelId, maxTargets: 2, population: 8, generations: 3, threads: 1, seed: 5, search: 'paper-ga' })).id)).evaluationId });
    expect(paper.params.search).toBe('paper-ga');
    await expect(api['jominy.evaluate']({ modelId, search: 'ga' as 'paper-ga' })).rejects.toMatchObject({ code: 'invalid_argument' });
    // The trust region's disagreement penalty and a design's P1–P99 box can be evaluated too (the paper's protocol stays the default).
    expect(e.params).toMatchObject({ sdWeight: 0, ranges: 'domain' });
    const trusted = await api['jominy.evaluations.get']({ id: (await finished((await api['jominy.evaluate']({ modelId, maxTargets: 2, population: 8, generations: 3, threads: 1, seed: 5, sdWeight: 1, domainWeight: 1, ranges: 'p1-p99' })).id)).evaluationId });
    expect(trusted.params).toMatchObject({ sdWeight: 1, domainWeight: 1, ranges: 'p1-p99' });
    expect(trusted.runs[0].targets).toBe(2);
    await expect(api['jominy.evaluate']({ modelId, ranges: 'minmax' as 'domain' })).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('refuses a disagreement penalty for a predictor without an ensemble (it would silently be 0), and stores no evaluation', async () => {
    const plain = (await finished((await api['jominy.models.train']({ datasetId, seed: 4, maxHidden: 1, epochs: 5, ensemble: 0 })).id)).modelId;
    expect((await api['jominy.models.get']({ id: plain })).ensembleSize).toBe(0);
    const before = (await api['jominy.evaluations.list']({})).length;
    await expect(api['jominy.evaluate']({ modelId: plain, maxTargets: 2, sdWeight: 1 })).rejects.toMatchObject({
      code: 'failed_precondition',
      field: 'sdWeight',
      message: expect.stringMatching(/sdWeight needs a predictor trained with an ensemble/),
    });
    expect((await api['jominy.evaluations.list']({})).length).toBe(before);
  });

  it('sweeps r × α as in the paper’s Table 4 (here with the cost objective)', async () => {
    const job = await api['jominy.evaluate']({ modelId, maxTargets: 2, population: 6, generations: 2, threads: 2, seed: 5, sweep: true, objective: 'cost' });
    const e = await api['jominy.evaluations.get']({ id: (await finished(job.id)).evaluationId });
    expect(e.runs.map((r) => [r.r, r.alpha])).toEqual([1, 2, 3, 4].flatMap((r) => [5, 10, 15, 25, 50].map((a) => [r, a])));
    expect(e.runs.every((r) => r.objective === 'cost' && r.targets === 2 && r.meanCostTerm > 0)).toBe(true);
    expect((await api['jominy.evaluations.list']({})).map((x) => x.id)).toEqual([e.id, e.id - 1, e.id - 2, e.id - 3]); // the three of the previous test before it
  });
});
