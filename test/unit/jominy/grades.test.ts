import { describe, expect, it } from 'vitest';
import { apiSession } from '../../helpers/api-session.js';
import { ELEMENTS, N_ELEMENTS } from '../../../core/jominy/elements.js';
import { buildDomain, dataPercentileRanges } from '../../../core/jominy/domain.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';

const { api, finished } = apiSession();

/** Mean distance outside the band over the 15 points (the band deviation of core/jominy/objective.ts), computed here by hand. */
const bandDeviation = (profile: number[], min: number[], max: number[]) =>
  profile.reduce((a, h, i) => a + Math.max(0, min[i] - h, h - max[i]), 0) / profile.length;

describe('default design ranges: the data’s 1st–99th percentiles, not min–max', () => {
  it('computes P1 and P99 by linear interpolation between order statistics', () => {
    // Five heats; carbon 0.10, 0.20, 0.30, 0.40, 1.00 (one outlier). P1 sits at position 0.01·4 = 0.04,
    // P99 at 3.96: 0.10 + 0.04·0.10 = 0.104 and 0.40 + 0.96·0.60 = 0.976 (min–max would be 0.10–1.00).
    const carbon = [0.1, 0.2, 0.3, 0.4, 1.0];
    const chems = carbon.map((c, i) => ELEMENTS.map((el) => (el === 'C' ? c : el === 'Mn' ? 0.8 + 0.1 * i : 0.05)));
    const r = dataPercentileRanges(buildDomain(chems));
    expect(r.min[0]).toBeCloseTo(0.104, 12);
    expect(r.max[0]).toBeCloseTo(0.976, 12);
    // Mn 0.8…1.2 in steps of 0.1: 0.8 + 0.04·0.1 = 0.804 and 1.1 + 0.96·0.1 = 1.196; a constant element stays put.
    expect(r.min[1]).toBeCloseTo(0.804, 12);
    expect(r.max[1]).toBeCloseTo(1.196, 12);
    expect([r.min[2], r.max[2]]).toEqual([0.05, 0.05]);
    expect(r.min).toHaveLength(N_ELEMENTS);
  });
});

describe('grade library and designs inside a grade (jominy.grades.*, jominy.design)', () => {
  let modelId = 0;
  let gradeId = 0;
  const lowC = { C: [0.17, 0.22] as [number, number], Mn: [0.6, 0.9] as [number, number], Cr: [0.4, 0.8] as [number, number] };

  it('creates, lists, updates and deletes grades; a value outside the element limits is refused in the shared words', async () => {
    await expect(api['jominy.grades.create']({ name: 'bad', ranges: { C: [0.3, 5] } })).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('C 5 wt.% is above the limit of 1.2 wt.%'),
    });
    await expect(api['jominy.grades.create']({ name: 'bad', ranges: { C: [0.43, 0.38] } })).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('C: min 0.43 is above max 0.38') });
    await expect(api['jominy.grades.create']({ name: 'bad', ranges: {} })).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('at least one element') });
    const band = { min: Array(15).fill(20), max: Array(15).fill(50) };
    const g = await api['jominy.grades.create']({ name: 'low-C test grade', ranges: lowC, band });
    expect(g).toMatchObject({ name: 'low-C test grade', ranges: lowC, band });
    gradeId = g.id;
    await expect(api['jominy.grades.create']({ name: 'low-C test grade', ranges: lowC })).rejects.toMatchObject({ code: 'conflict' });
    const other = await api['jominy.grades.create']({ name: '42CrMo4-like', ranges: { C: [0.38, 0.45] } });
    expect(other.band).toBeNull();
    expect((await api['jominy.grades.list']({})).map((x) => x.name)).toEqual(['42CrMo4-like', 'low-C test grade']);
    const up = await api['jominy.grades.update']({ id: other.id, ranges: { C: [0.38, 0.43], Mo: [0.15, 0.3] } });
    expect(up).toMatchObject({ name: '42CrMo4-like', ranges: { C: [0.38, 0.43], Mo: [0.15, 0.3] }, band: null });
    await expect(api['jominy.grades.update']({ id: other.id, ranges: { B: [0, 0.02] } })).rejects.toMatchObject({ message: expect.stringContaining('B 0.02 wt.% is above the limit of 0.01 wt.%') });
    expect(await api['jominy.grades.delete']({ id: other.id })).toEqual({ deleted: true });
    await expect(api['jominy.grades.delete']({ id: other.id })).rejects.toMatchObject({ code: 'not_found' });
    expect((await api['jominy.grades.list']({})).map((x) => x.name)).toEqual(['low-C test grade']);
  });

  it('without a grade searches the data’s P1–P99 and says so in the session', async () => {
    const ds = await api['jominy.datasets.synth']({ n: 200, seed: 5 });
    modelId = (await finished((await api['jominy.models.train']({ datasetId: ds.id, seed: 2, maxHidden: 2, epochs: 30 })).id)).modelId;
    const m = await api['jominy.models.get']({ id: modelId });
    const job = await api['jominy.design']({ modelId, target: { kind: 'curve', hardness: Array(15).fill(35) }, settings: { ga: { population: 16, generations: 5, topK: 2 } } });
    const s = await api['jominy.sessions.get']({ id: (await finished(job.id)).sessionId });
    expect(s.settings.rangesFrom).toBe('ranges: data P1–P99');
    expect(s.settings.grade).toBeUndefined();
    // Strictly inside the training min–max for carbon (the old default was exactly min–max).
    const [lo, hi] = s.settings.box!.C!;
    expect(lo).toBeGreaterThan(m.domain.min[0]);
    expect(hi).toBeLessThan(m.domain.max[0]);
    ELEMENTS.forEach((el, j) => expect(s.settings.box![el]).toEqual([m.domain.p1[j], m.domain.p99[j]]));
    // A given range is named as given; the rest still come from the data.
    const given = await api['jominy.design']({ modelId, target: { kind: 'curve', hardness: Array(15).fill(35) }, settings: { ranges: { Mn: [0.7, 0.9] }, fixed: { Mo: 0.2 }, ga: { population: 8, generations: 2, topK: 1 } } });
    const givenSettings = (await api['jominy.sessions.get']({ id: (await finished(given.id)).sessionId })).settings;
    expect(givenSettings.rangesFrom).toBe('ranges: given for Mn; fixed Mo; other elements data P1–P99');
    // the same parts as codes, for the interface's language (issue 15)
    expect(givenSettings.rangesFromPhrases).toEqual([
      { code: 'designLimits.from.given', params: { elements: 'Mn' } },
      { code: 'designLimits.from.fixed', params: { elements: 'Mo' } },
      { code: 'designLimits.from.dataOther', params: {} },
    ]);
    expect(givenSettings.rangesFromPhrases!.map((p) => reportPhraser('zh')(p)).join('；')).toBe('给定 Mn；固定 Mo；其他元素取数据 P1–P99');
    expect(givenSettings.rangesFromPhrases!.map((p) => reportPhraser('it')(p)).join('; ')).toBe('indicati per Mn; fissati Mo; altri elementi dai dati P1–P99');
    for (const r of s.results) ELEMENTS.forEach((el) => expect(r.chemistry[el]! >= s.settings.box![el]![0] - 1e-9 && r.chemistry[el]! <= s.settings.box![el]![1] + 1e-9).toBe(true));
  });

  it('with a grade keeps every element of every result inside the grade, and a band design reports its deviation honestly', async () => {
    // A band cut around the hardest heat's predicted curve: reachable with the data's carbon, not with the grade's 0.17–0.22.
    const ds = (await api['jominy.datasets.list']({}))[0];
    const heats = (await api['jominy.datasets.samples']({ id: ds.id, limit: 500 })).samples;
    const hard = heats.reduce((a, b) => (b.chemistry.C! > a.chemistry.C! ? b : a));
    const curve = (await api['jominy.predict']({ modelId, chemistry: hard.chemistry })).profile;
    const min = curve.map((h) => h - 1);
    const max = curve.map((h) => h + 1);
    // Trust region off in both runs: this is about the grade's box (the penalties would keep the free design off
    // the highest-carbon heat at the edge of the data, which is another question).
    const ga = { population: 30, generations: 25, topK: 3, domainWeight: 0 };
    const trust = { sdWeight: 0 };
    const free = await api['jominy.sessions.get']({ id: (await finished((await api['jominy.design']({ modelId, target: { kind: 'band', min, max }, seed: 3, settings: { ga, trust } })).id)).sessionId });
    const job = await api['jominy.design']({ modelId, target: { kind: 'band', min, max }, seed: 3, settings: { ga, gradeId, trust } });
    const s = await api['jominy.sessions.get']({ id: (await finished(job.id)).sessionId });
    expect(s.settings.grade).toEqual({ id: gradeId, name: 'low-C test grade', ranges: lowC });
    expect(s.settings.rangesFrom).toBe('ranges: grade low-C test grade; other elements data P1–P99');
    expect(reportPhraser('zh')(s.settings.rangesFromPhrases![0])).toBe('钢种 low-C test grade');
    expect(s.settings.box!.C).toEqual([0.17, 0.22]);
    expect(s.results.length).toBeGreaterThan(0);
    for (const r of s.results) {
      for (const [el, [lo, hi]] of Object.entries(lowC)) expect(r.chemistry[el as 'C']! >= lo && r.chemistry[el as 'C']! <= hi).toBe(true);
      // The deviation is the stored profile's distance outside the band, not 0 by having left the grade.
      expect(r.deviation).toBeCloseTo(bandDeviation(r.profile, min, max), 9);
    }
    expect(s.results[0].deviation).toBeGreaterThan(1);
    expect(s.results[0].deviation).toBeGreaterThan(free.results[0].deviation + 0.5);
    // A given range or fixed value outside the grade is refused by element and grade, not silently widened.
    await expect(api['jominy.design']({ modelId, target: { kind: 'band', min, max }, settings: { gradeId, ranges: { C: [0.3, 0.4] } } })).rejects.toMatchObject({
      code: 'invalid_argument', message: 'C 0.3–0.4 wt.% is outside grade low-C test grade (C 0.17–0.22 wt.%)',
    });
    await expect(api['jominy.design']({ modelId, target: { kind: 'band', min, max }, settings: { gradeId: 9999 } })).rejects.toMatchObject({ code: 'not_found' });
    // The session keeps the grade as it was when the grade changes later.
    await api['jominy.grades.update']({ id: gradeId, ranges: { C: [0.1, 0.3] } });
    expect((await api['jominy.sessions.get']({ id: s.id })).settings.grade!.ranges).toEqual(lowC);
  });
});
