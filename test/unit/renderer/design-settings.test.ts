import { describe, expect, it } from 'vitest';
import { applyGrade, bandAround, bandOfGrade, blankHeld, DEFAULT_TARGET, defaultForm, isDefaultTarget, formOfSession, formToRestore, rangesOfDomain, rangesProblem, settingsOf, targetOf, tolerancesProblem, type DesignForm, type El } from '../../../renderer/src/components/jominy/design-settings.js';
import { DISTANCES_MM, ELEMENTS, ELEMENT_LIMITS } from '../../../core/jominy/elements.js';
import { beyondPoints, compileObjective, COST_PRESET, targetBeyondPoints, WEIGHT_PRESETS } from '../../../core/jominy/objective.js';
import type { DesignSession } from '../../../core/api/index.js';

const elements = [...ELEMENTS] as El[];
const presets = { weightPresets: WEIGHT_PRESETS, costPreset: { costs: [...COST_PRESET.costs], beta: COST_PRESET.beta } };
const domain = { min: elements.map(() => 0.0001234567), max: elements.map((e) => ELEMENT_LIMITS[e] / 2) };

function session(f: DesignForm, over: Partial<DesignSession> = {}): DesignSession {
  return { id: 9, name: f.name, modelId: 1, parentSessionId: null, seed: f.seed, target: targetOf(f), settings: settingsOf(f, elements), run: null, results: [], createdAt: '', updatedAt: '', ...over } as DesignSession;
}

describe('Design form ↔ session settings (pure)', () => {
  it('a form survives the round trip form → settings/target → stored session → form', () => {
    const f: DesignForm = { ...defaultForm(), ranges: rangesOfDomain(domain, elements), name: 'Q&T 42CrMo4', seed: 17, restarts: 3, linearText: 'Mn/S>=20\n  Cr+Mo<=1.4  \n' };
    f.ranges[6] = { min: 0.9, max: 0.9, fixed: true }; // Cr held
    f.ranges[0] = { min: 0.38, max: 0.45, fixed: false };
    f.weightPreset = 'central';
    f.weights = [...WEIGHT_PRESETS.central];
    f.costMode = 'paper';
    f.costs = [...presets.costPreset.costs];
    f.beta = COST_PRESET.beta;
    f.ga = { ...f.ga, population: 80, faga: true, domainWeight: 1.5 };
    const s = settingsOf(f, elements);
    expect(s.fixed).toEqual({ Cr: 0.9 });
    expect(s.ranges!.C).toEqual([0.38, 0.45]);
    expect(s.ranges!.Cr).toBeUndefined();
    expect(s.linear).toEqual(['Mn/S>=20', 'Cr+Mo<=1.4']);
    const back = formOfSession(session(f), { ...defaultForm(), ranges: rangesOfDomain(domain, elements) }, elements, presets);
    expect(back).toEqual({ ...f, linearText: 'Mn/S>=20\nCr+Mo<=1.4' });
  });

  it('the search travels with the form; a session from before the choice reopens as the paper’s GA', () => {
    const f: DesignForm = { ...defaultForm(), ranges: rangesOfDomain(domain, elements) };
    expect(f.ga.search).toBe('default');
    expect(settingsOf({ ...f, ga: { ...f.ga, search: 'paper-ga' } }, elements).ga!.search).toBe('paper-ga');
    const old = session(f);
    delete (old.settings.ga as { search?: string }).search;
    expect(formOfSession(old, defaultForm(), elements, presets).ga.search).toBe('paper-ga');
  });

  it('equal weights and no costs are sent as null/0 and read back as the presets; custom ones stay custom', () => {
    const f = { ...defaultForm(), ranges: rangesOfDomain(domain, elements), weights: Array(15).fill(3), costs: Array(15).fill(2), beta: 5 };
    const s = settingsOf(f, elements);
    expect([s.weights, s.costs, s.beta]).toEqual([null, null, 0]);
    const custom = { ...f, weightPreset: 'custom' as const, costMode: 'custom' as const };
    const back = formOfSession(session(custom), defaultForm(), elements, presets);
    expect([back.weightPreset, back.costMode, back.beta, back.weights[0], back.costs[0]]).toEqual(['custom', 'custom', 5, 3, 2]);
    // paper costs with another β are custom, not "paper"
    const paperish = { ...custom, costs: [...presets.costPreset.costs], beta: 2 };
    expect(formOfSession(session(paperish), defaultForm(), elements, presets).costMode).toBe('custom');
  });

  it('a band session opens as a band; ranges stay until the predictor’s ranges are known', () => {
    const f = { ...defaultForm(), ...bandAround(defaultForm().target), mode: 'band' as const };
    expect(f.bandMin.slice(0, 5)).toEqual([49, null, null, null, 39]);
    const back = formOfSession(session(f), defaultForm(), elements, presets);
    expect(targetOf(back)).toEqual({ kind: 'band', min: f.bandMin, max: f.bandMax });
    expect(back.ranges).toEqual([]);
    expect(bandOfGrade({ low: Array(15).fill(30.04), high: Array(15).fill(40.06) }).bandMax).toEqual([40.1, null, 40.1, null, 40.1, null, 40.1, null, 40.1, null, 40.1, null, 40.1, null, null]);
  });

  it('refuses empty, out-of-limit and reversed ranges with the API’s words', () => {
    const r = rangesOfDomain(domain, elements);
    expect(r[0]).toEqual({ min: 0.0001235, max: +(ELEMENT_LIMITS.C / 2).toPrecision(4), fixed: false });
    expect(rangesProblem(r, elements)).toBeNull();
    expect(rangesProblem(r.map((x, j) => (j === 1 ? { ...x, max: null as unknown as number } : x)), elements)).toBe('Mn: the maximum is empty');
    expect(rangesProblem(r.map((x, j) => (j === 1 ? { ...x, min: 0.6, max: 0.5 } : x)), elements)).toBe('Mn: min 0.6 is above max 0.5');
    expect(rangesProblem(r.map((x, j) => (j === 0 ? { min: -1, max: 0, fixed: true } : x)), elements)).toMatch(/^C -1 is negative/);
  });

  it('default rows are the data’s P1–P99; a grade sets its elements; rows equal to the base are not sent', () => {
    const p = { ...domain, p1: elements.map(() => 0.01), p99: elements.map(() => 0.2) };
    const data = rangesOfDomain(p, elements);
    expect(data[0]).toEqual({ min: 0.01, max: 0.2, fixed: false });
    const grade = { id: 4, name: '20MnCr5', ranges: { C: [0.17, 0.22] as [number, number], Cr: [1.0, 1.3] as [number, number] }, band: null };
    const f: DesignForm = { ...defaultForm(), ...applyGrade(grade, data, elements) };
    expect(f.gradeId).toBe(4);
    expect(f.ranges[0]).toEqual({ min: 0.17, max: 0.22, fixed: false });
    expect(f.ranges[6]).toEqual({ min: 1.0, max: 1.3, fixed: false });
    expect(f.ranges[1]).toEqual({ min: 0.01, max: 0.2, fixed: false });
    // Untouched rows are left to the core (grade or exact P1–P99); an edited row is sent, a fixed one as fixed.
    expect(settingsOf(f, elements)).toMatchObject({ gradeId: 4, ranges: {}, fixed: {} });
    f.ranges[0] = { min: 0.18, max: 0.2, fixed: false };
    f.ranges[8] = { min: 0.1, max: 0.1, fixed: true };
    const s = settingsOf(f, elements);
    expect([s.ranges, s.fixed]).toEqual([{ C: [0.18, 0.2] }, { Mo: 0.1 }]);
    // No grade: back to the data rows, and no gradeId is sent.
    const none = { ...f, ...applyGrade(null, data, elements) };
    expect(none.ranges[0]).toEqual({ min: 0.01, max: 0.2, fixed: false });
    expect(settingsOf(none, elements).gradeId).toBeUndefined();
    expect(formOfSession(session(f), { ...defaultForm(), ranges: data }, elements, presets).gradeId).toBe(4);
  });
  it('sends the trust region and melt tolerances, refuses unreadable tolerances in the API\'s words, and reads them back', () => {
    const f: DesignForm = { ...defaultForm(), ranges: rangesOfDomain(domain, elements), mode: 'band', ...bandAround(defaultForm().target), tolerancesText: 'C=0.02, Mn=0.05', trust: { sdWeight: 2, robust: true, robustWeight: 12 } };
    const s = settingsOf(f, elements);
    expect(s.trust).toEqual({ sdWeight: 2, robustWeight: 12 });
    expect(s.tolerances).toEqual({ C: 0.02, Mn: 0.05 });
    expect(settingsOf({ ...f, trust: { ...f.trust, robust: false } }, elements).trust).toEqual({ sdWeight: 2, robustWeight: 0 });
    expect(defaultForm().ga.domainWeight).toBe(4);
    expect(tolerancesProblem('C=5')).toBe('melt tolerances: C 5 wt.% is above the limit of 1.2 wt.%');
    expect(tolerancesProblem('')).toBeNull();
    const back = formOfSession(session(f), { ...defaultForm(), ranges: rangesOfDomain(domain, elements) }, elements, presets);
    expect(back.trust).toEqual({ sdWeight: 2, robust: true, robustWeight: 12 });
    expect(back.tolerancesText).toBe('C=0.02,Mn=0.05');
  });
});

describe('The form put aside while a record is on screen, given back when it closes', () => {
  const domainX = { min: elements.map(() => 0.01), max: elements.map((e) => ELEMENT_LIMITS[e] / 2) };
  const domainY = { min: elements.map(() => 0.02), max: elements.map((e) => ELEMENT_LIMITS[e] / 4) };
  const saved = (): DesignForm => {
    const f: DesignForm = { ...defaultForm(), ...applyGrade(null, rangesOfDomain(domainX, elements), elements), name: 'mine', seed: 5 };
    f.ranges[0] = { min: 0.3, max: 0.35, fixed: false }; // the user's own C range
    return f;
  };

  it('with the same predictor still on screen, comes back exactly as it was (the user’s own ranges too)', () => {
    const f = saved();
    expect(formToRestore({ form: f, modelId: 1 }, { modelId: 1, dataRows: rangesOfDomain(domainX, elements), grade: null }, elements)).toBe(f);
  });

  it('with another predictor’s details on screen, its ranges are that predictor’s data rows (its grade applied again), the rest of the form kept', () => {
    const grade = { id: 4, name: '42CrMo4', ranges: { C: [0.38, 0.45] as [number, number] }, band: null };
    const f = { ...saved(), gradeId: 4 };
    const back = formToRestore({ form: f, modelId: 1 }, { modelId: 2, dataRows: rangesOfDomain(domainY, elements), grade }, elements);
    const yRows = rangesOfDomain(domainY, elements);
    // before: predictor 1's ranges came back under predictor 2 (Mn's maximum 1's data P99, not 2's)
    expect(back.ranges[1]).toEqual({ ...yRows[1], fixed: false });
    expect(back.ranges[1].max).toBe(+(ELEMENT_LIMITS[elements[1]] / 4).toPrecision(4));
    expect(back.baseRanges.slice(1)).toEqual(yRows.slice(1));
    expect(back.ranges[0]).toEqual({ min: 0.38, max: 0.45, fixed: false });
    expect([back.gradeId, back.name, back.seed]).toEqual([4, 'mine', 5]);
  });

  it('with no details read yet, comes back as it was (they reset the ranges when they come)', () => {
    const f = saved();
    expect(formToRestore({ form: f, modelId: 1 }, null, elements)).toBe(f);
  });
});

describe('targets the chosen predictor reaches (review 25d: the page\'s own targets were refused)', () => {
  // a plant predictor measured at 5–30 mm: its details' pointsLayout.outsideStandard, as the core's one rule gives it
  const points = [5, 9, 15, 25, 30];
  const outside = DISTANCES_MM.map((d) => beyondPoints(d, points));
  const refusedAt = (target: { kind: 'curve'; hardness: (number | null)[] } | { kind: 'band'; min: (number | null)[]; max: (number | null)[] }) =>
    targetBeyondPoints(compileObjective({ target }), points, target.kind === 'band');

  it('the default curve, a grade band (40 mm included) and a predicted curve are blanked where the predictor does not reach', () => {
    expect(outside).toEqual([true, true, false, false, false, false, false, false, false, false, false, true, true, true, true]);
    // unblanked, the core refuses the page's own default target and a grade band at 1.5, 3 and 35–50 mm
    expect(refusedAt({ kind: 'curve', hardness: defaultForm().target })).toEqual([1.5, 3, 35, 40, 45, 50]);
    const grade = { low: DISTANCES_MM.map((d) => 60 - d), high: DISTANCES_MM.map((d) => 66 - d) };
    const band = bandOfGrade(grade);
    expect(refusedAt({ kind: 'band', min: band.bandMin, max: band.bandMax })).toEqual([1.5, 40]);
    // blanked: nothing refused, every distance the predictor reaches kept
    const curve = blankHeld(DEFAULT_TARGET, outside);
    expect(curve).toEqual([null, null, 49, 46, 42, 39, 37, 35, 32, 30, 29, null, null, null, null]);
    expect(refusedAt({ kind: 'curve', hardness: curve })).toEqual([]);
    expect(refusedAt({ kind: 'band', min: blankHeld(band.bandMin, outside), max: blankHeld(band.bandMax, outside) })).toEqual([]);
    // the details not read yet: unchanged
    expect(blankHeld(DEFAULT_TARGET, null)).toEqual([...DEFAULT_TARGET]);
  });

  it('the default curve, blanked for one predictor, is still the default (given back whole for a predictor that reaches 1.5–50 mm)', () => {
    const blanked = blankHeld(DEFAULT_TARGET, outside);
    expect(isDefaultTarget(blanked)).toBe(true);
    expect(isDefaultTarget(defaultForm().target)).toBe(true);
    expect(isDefaultTarget([...blanked.slice(0, 5), 41, ...blanked.slice(6)])).toBe(false);
    expect(isDefaultTarget(Array(15).fill(null))).toBe(false);
    expect(blankHeld(DEFAULT_TARGET, DISTANCES_MM.map((d) => beyondPoints(d, [...DISTANCES_MM])))).toEqual([...DEFAULT_TARGET]);
  });
});
