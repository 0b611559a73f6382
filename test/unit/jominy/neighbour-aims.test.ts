import { describe, expect, it } from 'vitest';
import { heldElements, NEIGHBOURS } from '../../../core/jominy/neighbour-aims.js';
import { usedElements } from '../../../core/jominy/predictor-model.js';
import { runDesign } from '../../../core/jominy/ga.js';
import { dataPercentileRanges } from '../../../core/jominy/domain.js';
import { COST_PRESET } from '../../../core/jominy/objective.js';
import { ELEMENTS, PRIOR_ELEMENTS, chemToArray, elementIndex } from '../../../core/jominy/elements.js';
import { smallPredictor } from './fixture.js';

const { samples, model, predictor } = smallPredictor(300, 5);
const box = dataPercentileRanges(model.domain);
const Ti = elementIndex('Ti');
const B = elementIndex('B');
const used = new Set<string>(usedElements(model));

/** Median of element j over the K training heats nearest to chem in the inputs (brute force, independent of the module). */
function neighbourMedian(chem: number[], j: number): number {
  const d = model.domain;
  const n = d.points.length / ELEMENTS.length;
  const inputs = ELEMENTS.map((_, k) => k).filter((k) => d.std[k] > 0 && used.has(ELEMENTS[k]) && PRIOR_ELEMENTS.includes(ELEMENTS[k]));
  const z = (k: number) => (chem[k] - d.mean[k]) / d.std[k];
  const order = Array.from({ length: n }, (_, i) => i)
    .map((i) => ({ i, dist: inputs.reduce((a, k) => a + (d.points[i * 15 + k] - z(k)) ** 2, 0) }))
    .sort((a, b) => a.dist - b.dist)
    .slice(0, NEIGHBOURS)
    .map((x) => d.points[x.i * 15 + j] * d.std[j] + d.mean[j])
    .sort((a, b) => a - b);
  return (order[NEIGHBOURS / 2 - 1] + order[NEIGHBOURS / 2]) / 2;
}

describe('elements the predictor does not use, or uses beyond the priors, are held where the nearest heats have them', () => {
  it('holds exactly the varying elements no network takes or takes beyond the priors, and none the design fixes', () => {
    expect(used.has('Ti')).toBe(false); // the premise: this predictor has no titanium input
    const held = heldElements(model, { ...box, linear: [] })!;
    const expected = ELEMENTS.map((_, j) => j).filter((j) => model.domain.std[j] > 0 && (!used.has(ELEMENTS[j]) || !PRIOR_ELEMENTS.includes(ELEMENTS[j])));
    expect([...held.idx]).toEqual(expected);
    expect(held.idx).toContain(Ti);
    const min = [...box.min];
    const max = [...box.max];
    min[Ti] = max[Ti] = 0.02;
    expect(heldElements(model, { min, max, linear: [] })!.idx).not.toContain(Ti);
  });

  it("sets a boron heat's titanium to its neighbours' median, whatever the search proposed", () => {
    const boron = samples.map((s) => chemToArray(s.chemistry)).find((c) => c[B] > 0.002)!;
    const proposed = [...boron];
    proposed[Ti] = 0; // what a cost objective would do to an element that changes no prediction
    const chems = Float64Array.from([...proposed, ...proposed]);
    heldElements(model, { ...box, linear: [] })!.apply(chems, 2);
    const want = Math.min(box.max[Ti], Math.max(box.min[Ti], neighbourMedian(proposed, Ti)));
    expect(want).toBeGreaterThan(0.015); // boron heats carry the titanium that protects the boron
    expect(chems[Ti]).toBeCloseTo(want, 12);
    expect(chems[15 + Ti]).toBeCloseTo(want, 12);
    // the elements the predictor uses are untouched
    for (const j of ELEMENTS.map((_, k) => k).filter((k) => used.has(ELEMENTS[k]) && PRIOR_ELEMENTS.includes(ELEMENTS[k]))) expect(chems[j]).toBe(proposed[j]);
  });

  it('keeps the searched values where the held ones would break a linear constraint', () => {
    const boron = samples.map((s) => chemToArray(s.chemistry)).find((c) => c[B] > 0.002)!;
    const proposed = [...boron];
    proposed[Ti] = 0;
    const coef = ELEMENTS.map((_, j) => (j === Ti ? 1 : 0));
    const chems = Float64Array.from(proposed);
    heldElements(model, { ...box, linear: [{ coef, op: '<=', rhs: 0.001, label: 'Ti<=0.001' }] })!.apply(chems, 1);
    expect(Array.from(chems)).toEqual(proposed);
  });

  it('a cost design no longer drops titanium to the bottom of its range once the domain penalty is on', () => {
    const target = samples[model.split.testIndices.find((i) => samples[i].chemistry.B > 0.002)!];
    const design = (domainWeight: number) =>
      runDesign(predictor, {
        objective: { target: { kind: 'curve', hardness: target.hardness }, costs: COST_PRESET.costs, beta: COST_PRESET.beta },
        constraints: { ...box, linear: [] },
        settings: { population: 20, generations: 40, domainWeight },
        seed: 9,
      }).best.chemistry;
    const off = design(0);
    const on = design(1);
    // off: titanium costs and changes no prediction, so the search takes the least of it
    expect(off[Ti]).toBeLessThan(box.min[Ti] + 0.1 * (box.max[Ti] - box.min[Ti]));
    // on: the design carries what the heats most like it carry
    expect(on[Ti]).toBeCloseTo(Math.min(box.max[Ti], Math.max(box.min[Ti], neighbourMedian(on, Ti))), 12);
    expect(on[Ti]).toBeGreaterThan(0.015); // a boron heat's titanium, where the search left 0.005
  });

  it('holds an element a network takes beyond the priors (titanium as a proxy for protected boron), out of the neighbour search too', () => {
    // as predictor seed 7 of the synthetic protocol: one network takes titanium
    const withTi = { ...model, nets: model.nets.map((net, p) => (p === 3 ? { ...net, elements: [...net.elements, 'Ti' as const] } : net)) };
    const held = heldElements(withTi, { ...box, linear: [] })!;
    expect(held.idx).toContain(Ti);
    const nicrmo = samples.map((s) => chemToArray(s.chemistry)).find((c) => c[elementIndex('Ni')] > 0.8)!;
    const a = [...nicrmo];
    a[Ti] = 0.03; // a boron grade's titanium, which a search would buy hardness with
    const b = [...nicrmo];
    b[Ti] = 0;
    const chems = Float64Array.from([...a, ...b]);
    held.apply(chems, 2);
    expect(chems[Ti]).toBe(chems[15 + Ti]); // the proposed titanium does not choose the neighbours
    expect(chems[Ti]).toBeCloseTo(Math.min(box.max[Ti], Math.max(box.min[Ti], neighbourMedian(a, Ti))), 12);
    expect(chems[Ti]).toBeLessThan(0.01); // Ni-Cr-Mo heats carry a plain steel's titanium
  });
});
