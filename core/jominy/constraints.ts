import { ELEMENTS, N_ELEMENTS, elementIndex, isElement } from './elements.js';
import { phrase, plain, type Phrase } from '../api/phrase.js';
import { english } from '../runtime/english.js';

/**
 * Chemistry constraints of a design: per-element min/max (fixed elements have min = max) and
 * optional linear constraints Σ a_j·C_j (≥|≤) b, which cover ratios: Mn/S ≥ 20 ⇔ Mn − 20·S ≥ 0.
 */
export interface LinearConstraint {
  coef: number[];
  op: '>=' | '<=';
  rhs: number;
  label: string;
}

export interface Constraints {
  min: number[];
  max: number[];
  linear: LinearConstraint[];
}

/** A refused constraint or range, worded once in the phrase catalog: `message` is its English words. */
export class ConstraintError extends Error {
  constructor(readonly phrase: Phrase) {
    super(english(phrase));
    this.name = 'ConstraintError';
  }
}

/**
 * Parses "Mn/S>=20", "Mn+Cr<=2.2", "2*Cr+Mo>=1.1", "Ti-3.4*B>=0" into a linear constraint.
 */
export function parseLinearConstraint(text: string): LinearConstraint {
  const t = text.replace(/\s+/g, '');
  const m = /^(.+?)(>=|<=|≥|≤)(-?\d+(?:\.\d+)?)$/.exec(t);
  if (!m) throw new ConstraintError(phrase('jominyErrors.constraintUnreadable', { text }));
  const op = m[2] === '≥' || m[2] === '>=' ? '>=' : '<=';
  const rhs = Number(m[3]);
  const coef = new Array<number>(N_ELEMENTS).fill(0);
  const ratio = /^([A-Za-z]+)\/([A-Za-z]+)$/.exec(m[1]);
  if (ratio) {
    const [a, b] = [ratio[1], ratio[2]];
    if (!isElement(a) || !isElement(b)) throw new ConstraintError(phrase('jominyErrors.constraintUnknownElement', { text }));
    // a/b op k with b ≥ 0 ⇔ a − k·b op 0.
    coef[elementIndex(a)] += 1;
    coef[elementIndex(b)] -= rhs;
    return { coef, op, rhs: 0, label: `${a}/${b} ${op} ${rhs}` };
  }
  const terms = m[1].replace(/-/g, '+-').split('+').filter(Boolean);
  for (const term of terms) {
    const tm = /^(-?)(?:(\d+(?:\.\d+)?)\*?)?([A-Za-z]+)$/.exec(term);
    if (!tm || !isElement(tm[3])) throw new ConstraintError(phrase('jominyErrors.constraintTerm', { term, text }));
    coef[elementIndex(tm[3])] += (tm[1] ? -1 : 1) * (tm[2] ? Number(tm[2]) : 1);
  }
  return { coef, op, rhs, label: `${m[1]} ${op} ${rhs}` };
}

export function satisfiesLinear(cs: readonly LinearConstraint[], chem: ArrayLike<number>, off = 0): boolean {
  for (const c of cs) {
    let s = 0;
    for (let j = 0; j < N_ELEMENTS; j++) s += c.coef[j] * chem[off + j];
    // A small tolerance: a chemistry exactly on the boundary is feasible.
    if (c.op === '>=' ? s < c.rhs - 1e-12 : s > c.rhs + 1e-12) return false;
  }
  return true;
}

export function validateConstraints(c: Constraints): void {
  if (c.min.length !== N_ELEMENTS || c.max.length !== N_ELEMENTS) throw new ConstraintError(phrase('jominyErrors.rangesCount', { n: N_ELEMENTS }));
  ELEMENTS.forEach((el, j) => {
    if (!(c.min[j] >= 0) || !Number.isFinite(c.max[j])) throw new ConstraintError(phrase('jominyErrors.rangeNotFinite', { el }));
    if (c.min[j] > c.max[j]) throw new ConstraintError(phrase('chem.rangeOrder', { el, min: plain(c.min[j]), max: plain(c.max[j]) }));
  });
}
