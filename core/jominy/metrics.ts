import { DISTANCES_MM, ELEMENTS, N_POINTS, type Element } from './elements.js';

/**
 * The paper's evaluation indices over a set of Dim_ts target profiles.
 * Per point i (Eqs. 4–6, 10): ε_i mean |Ĵ − J^T|, E_i max, S_i sample std of |Ĵ − J^T|,
 * θ_i mean |Ĵ − J^T| / J^T in %. Their averages over the 15 points (Eqs. 7–9).
 * Per element (Eqs. 11–12): ε[El] mean |[El]_opt − [El]^T|, ρ[El] = ε[El] / [El]_max.
 */
export interface PointIndex {
  distanceMm: number;
  eps: number;
  E: number;
  S: number;
  theta: number;
}

export interface ProfileIndices {
  points: PointIndex[];
  eps: number;
  E: number;
  S: number;
  theta: number;
}

export function profileIndices(pred: number[][], target: number[][]): ProfileIndices {
  const n = target.length;
  if (n === 0 || pred.length !== n) throw new RangeError('need as many predicted as target profiles (≥ 1)');
  const points = DISTANCES_MM.map((d, i): PointIndex => {
    const abs = target.map((t, j) => Math.abs(pred[j][i] - t[i]));
    const eps = abs.reduce((a, b) => a + b, 0) / n;
    const E = Math.max(...abs);
    const S = n > 1 ? Math.sqrt(abs.reduce((a, b) => a + (b - eps) ** 2, 0) / (n - 1)) : 0;
    const theta = (100 * target.reduce((a, t, j) => a + Math.abs(pred[j][i] - t[i]) / t[i], 0)) / n;
    return { distanceMm: d, eps, E, S, theta };
  });
  const avg = (f: (p: PointIndex) => number) => points.reduce((a, p) => a + f(p), 0) / N_POINTS;
  return { points, eps: avg((p) => p.eps), E: avg((p) => p.E), S: avg((p) => p.S), theta: avg((p) => p.theta) };
}

export interface ElementIndex {
  element: Element;
  eps: number;
  rho: number;
  /** Table 11: average designed vs average real content, and the change in %. */
  meanDesigned: number;
  meanReal: number;
  changePct: number | null;
}

export function elementIndices(designed: number[][], real: number[][], elMax: number[]): ElementIndex[] {
  const n = real.length;
  if (n === 0 || designed.length !== n) throw new RangeError('need as many designed as real chemistries (≥ 1)');
  return ELEMENTS.map((element, e) => {
    const eps = real.reduce((a, r, j) => a + Math.abs(designed[j][e] - r[e]), 0) / n;
    const meanDesigned = designed.reduce((a, d) => a + d[e], 0) / n;
    const meanReal = real.reduce((a, r) => a + r[e], 0) / n;
    return { element, eps, rho: elMax[e] > 0 ? eps / elMax[e] : 0, meanDesigned, meanReal, changePct: meanReal > 0 ? (100 * (meanDesigned - meanReal)) / meanReal : null };
  });
}
