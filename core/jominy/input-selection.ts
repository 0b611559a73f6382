import { DISTANCES_MM, ELEMENTS, N_ELEMENTS, PRIOR_ELEMENTS, type Element } from './elements.js';

/**
 * Which inputs each point's network takes (the paper's Table 1). Automatic selection, editable by
 * the user afterwards:
 *  - elements: the metallurgical priors (C, Mn, Cr, Mo, Ni, Si, B) whenever they vary in the data;
 *    any other element when it still explains the hardness after the priors: |Pearson r| or the
 *    normalised mutual information between the element and the residual of a linear fit of the
 *    hardness on the priors reaches a threshold (raised on small samples);
 *  - earlier points: the previous point always (the curve is continuous), plus up to two earlier
 *    points whose correlation with the residual after the previous point is strongest.
 */
export interface PointInputs {
  elements: Element[];
  /** Indices of earlier Jominy points whose predicted hardness feeds this network. */
  points: number[];
}

export interface InputScore {
  name: string;
  r: number;
  mi: number;
  selected: boolean;
  prior: boolean;
}

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

function quantileBins(v: ArrayLike<number>, k: number): Int32Array {
  const idx = Array.from({ length: v.length }, (_, i) => i).sort((p, q) => v[p] - v[q]);
  const out = new Int32Array(v.length);
  let bin = 0;
  for (let r = 0; r < idx.length; r++) {
    // Ties stay in one bin, so a constant column has zero entropy.
    if (r > 0 && v[idx[r]] !== v[idx[r - 1]]) bin = Math.min(k - 1, Math.floor((r * k) / idx.length));
    out[idx[r]] = bin;
  }
  return out;
}

/** Mutual information of two variables on equal-frequency bins, normalised by min(H(X), H(Y)). */
export function normalisedMutualInformation(a: ArrayLike<number>, b: ArrayLike<number>, bins = 8): number {
  const n = a.length;
  const ba = quantileBins(a, bins);
  const bb = quantileBins(b, bins);
  const joint = new Float64Array(bins * bins);
  const pa = new Float64Array(bins);
  const pb = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    joint[ba[i] * bins + bb[i]] += 1 / n;
    pa[ba[i]] += 1 / n;
    pb[bb[i]] += 1 / n;
  }
  let mi = 0;
  let ha = 0;
  let hb = 0;
  for (let i = 0; i < bins; i++) {
    if (pa[i] > 0) ha -= pa[i] * Math.log(pa[i]);
    if (pb[i] > 0) hb -= pb[i] * Math.log(pb[i]);
    for (let j = 0; j < bins; j++) {
      const p = joint[i * bins + j];
      if (p > 0) mi += p * Math.log(p / (pa[i] * pb[j]));
    }
  }
  const h = Math.min(ha, hb);
  return h > 0 ? Math.max(0, mi / h) : 0;
}

/** Residual of y after an ordinary least-squares fit on the columns (with intercept). */
export function residualAfter(cols: ArrayLike<number>[], y: ArrayLike<number>): Float64Array {
  const n = y.length;
  const p = cols.length + 1;
  // Normal equations with a tiny ridge: the priors can be collinear within one grade family.
  const a = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  const row = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    row[0] = 1;
    for (let c = 0; c < cols.length; c++) row[c + 1] = cols[c][i];
    for (let r = 0; r < p; r++) {
      rhs[r] += row[r] * y[i];
      for (let c = 0; c < p; c++) a[r * p + c] += row[r] * row[c];
    }
  }
  for (let r = 0; r < p; r++) a[r * p + r] += 1e-9 * (a[r * p + r] || 1);
  // Gaussian elimination with partial pivoting (p ≤ 16).
  const m = Array.from({ length: p }, (_, r) => [...a.slice(r * p, r * p + p), rhs[r]]);
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    [m[c], m[piv]] = [m[piv], m[c]];
    const d = m[c][c] || 1e-300;
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = m[r][c] / d;
      for (let k = c; k <= p; k++) m[r][k] -= f * m[c][k];
    }
  }
  const beta = m.map((r, i) => r[p] / (r[i] || 1e-300));
  const res = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let fit = beta[0];
    for (let c = 0; c < cols.length; c++) fit += beta[c + 1] * cols[c][i];
    res[i] = y[i] - fit;
  }
  return res;
}

const variance = (v: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < v.length; i++) m += v[i];
  m /= v.length;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] - m) ** 2;
  return s / v.length;
};

export interface SelectionOptions {
  /** |r| with the residual at or above which a non-prior element is taken (default 0.1). */
  rThreshold?: number;
  /** Normalised MI with the residual at or above which a non-prior element is taken (default 0.12). */
  miThreshold?: number;
  maxEarlierPoints?: number;
}

/**
 * Inputs for point p. chem: per element a column over the training heats; earlier: per earlier
 * point a column of its (predicted) hardness; y: the hardness at p.
 */
export function selectPointInputs(
  p: number,
  chem: Float64Array[],
  earlier: Float64Array[],
  y: Float64Array,
  opts: SelectionOptions = {},
  /** allowed: the dataset's elements (no other is ever an input); labels: names of the earlier points (default J<standard mm>). */
  data: { allowed?: readonly Element[]; labels?: readonly string[] } = {},
): { inputs: PointInputs; scores: InputScore[] } {
  // Thresholds grow on small samples, where chance correlations and the upward bias of binned MI
  // would otherwise let every element in: |r| ≥ 2.5/√n (≈ 1 % two-sided), MI above its bias scale.
  const n = y.length;
  const bins = 8;
  const rT = Math.max(opts.rThreshold ?? 0.1, 2.5 / Math.sqrt(n));
  const miT = Math.max(opts.miThreshold ?? 0.12, (3 * (bins - 1) ** 2) / (2 * n * Math.log(bins)));
  const maxEarlier = opts.maxEarlierPoints ?? 2;
  const varying = ELEMENTS.map((el, i) => (data.allowed ? data.allowed.includes(el) : true) && variance(chem[i]) > 1e-14);
  const priors = PRIOR_ELEMENTS.filter((el) => varying[ELEMENTS.indexOf(el)]);
  const baseCols = priors.map((el) => chem[ELEMENTS.indexOf(el)]);
  const res = residualAfter(baseCols, y);
  const scores: InputScore[] = [];
  const elements: Element[] = [];
  for (let i = 0; i < N_ELEMENTS; i++) {
    const el = ELEMENTS[i];
    const prior = PRIOR_ELEMENTS.includes(el);
    if (!varying[i]) {
      scores.push({ name: el, r: 0, mi: 0, selected: false, prior });
      continue;
    }
    const r = pearson(chem[i], prior ? y : res);
    const mi = normalisedMutualInformation(chem[i], prior ? y : res);
    const selected = prior || Math.abs(r) >= rT || mi >= miT;
    if (selected) elements.push(el);
    scores.push({ name: el, r, mi, selected, prior });
  }
  const points: number[] = [];
  if (p > 0) {
    points.push(p - 1);
    const res2 = residualAfter([earlier[p - 1]], y);
    const cand = Array.from({ length: p - 1 }, (_, k) => ({ k, r: pearson(earlier[k], res2) })).sort((a, b) => Math.abs(b.r) - Math.abs(a.r));
    for (const c of cand.slice(0, maxEarlier)) if (Math.abs(c.r) >= 0.2) points.push(c.k);
    points.sort((a, b) => a - b);
    for (let k = 0; k < p; k++) scores.push({ name: data.labels?.[k] ?? `J${DISTANCES_MM[k]}`, r: pearson(earlier[k], y), mi: 0, selected: points.includes(k), prior: k === p - 1 });
  }
  return { inputs: { elements, points }, scores };
}
