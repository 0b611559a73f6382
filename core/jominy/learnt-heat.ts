import type { JominySample } from './dataset.js';

/**
 * Whether a target heat is one the predictor learnt from (an evaluation's "in-sample" count), judged per heat against
 * the heats it trained on.
 *
 * It matched on the exact chemistry and curve only: the same heats re-exported by a LIMS — chemistry at 3 decimals,
 * HRC as whole numbers, same heat ids — were called "none of them learnt by the predictor (out-of-sample)", and an
 * in-sample ε was shown as evidence on new heats. A target now counts as learnt when
 *   - its heat id (trimmed, case as written) is a learnt heat's id, or
 *   - its chemistry and curve are a learnt heat's as written at the coarser precision of the two: each value, rounded
 *     to the decimals the other one was written with, is that value (0.3194 and 0.319; 50.7 and 51 HRC), over the
 *     elements both analysed (at least MIN_ELEMENTS) and the distances both measured (at least MIN_DISTANCES).
 * When in doubt it counts as learnt: calling a learnt heat new is the confident wrong number; the other way round only
 * understates the evidence.
 */
export const MIN_ELEMENTS = 5;
export const MIN_DISTANCES = 5;

/** Decimals a number was written with (its shortest round-trip form; 1e-7 has 7). */
function decimalsOf(v: number): number {
  const s = String(v);
  const e = /e-(\d+)$/.exec(s);
  if (e) return Number(e[1]) + (s.split('e')[0].split('.')[1]?.length ?? 0);
  return s.split('.')[1]?.length ?? 0;
}

/** a and b are the same reading written at different precisions: the finer one rounds to the coarser one. */
export function sameAtCoarserPrecision(a: number, b: number): boolean {
  const d = Math.min(decimalsOf(a), decimalsOf(b));
  const tol = 0.5 * 10 ** -d;
  // (1e-9 absorbs binary representation: 0.3195 may be stored just under half a step)
  return Math.abs(a - b) <= tol + 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

type Heat = Pick<JominySample, 'heatId' | 'chemistry' | 'hardness'>;

function sameContent(t: Heat, h: Heat): boolean {
  let elements = 0;
  for (const [el, v] of Object.entries(t.chemistry)) {
    const w = h.chemistry[el as keyof typeof h.chemistry];
    if (v === undefined || w === undefined || !Number.isFinite(v) || !Number.isFinite(w)) continue;
    if (!sameAtCoarserPrecision(v, w)) return false;
    elements++;
  }
  if (elements < MIN_ELEMENTS || t.hardness.length !== h.hardness.length) return false;
  let distances = 0;
  for (let i = 0; i < t.hardness.length; i++) {
    const [a, b] = [t.hardness[i], h.hardness[i]];
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    if (!sameAtCoarserPrecision(a, b)) return false;
    distances++;
  }
  return distances >= MIN_DISTANCES;
}

/** A test for "the predictor learnt this heat", built once over the heats it trained on. */
export function learntHeatMatcher(learnt: readonly Heat[]): (target: Heat) => boolean {
  const ids = new Set(learnt.map((h) => h.heatId?.trim()).filter((id): id is string => !!id));
  return (t) => {
    const id = t.heatId?.trim();
    if (id && ids.has(id)) return true;
    return learnt.some((h) => sameContent(t, h));
  };
}
