/**
 * Variant (a) of bench/fewer-points-adapt.ts: a new linear head on the base CNN's features (its penultimate
 * layer, mean over the 8 dihedral views — exact for a linear head), fitted by weighted ridge regression to the
 * base model's training points (weight 1) plus the K new billet's readings (weight w each). w is chosen by
 * leave-one-out on the K points only (never on the points scored afterwards). Closed form, plain arrays.
 */

/** Features of one point (standardised by the caller or not) and its reading, wt.%. */
export interface Row {
  x: readonly number[];
  y: number;
}

/** The weights a K point may get relative to a base training point; 0 = the base points alone. */
export const WEIGHT_GRID: readonly number[] = [0, 1, 3, 10, 30, 100];

/** Ridge penalty on the standardised features (not the intercept); mild: ~230 base rows. */
export const RIDGE_LAMBDA = 1;

/** Column means and sds of the base rows; zero-sd columns (dead ReLU units) are dropped by `standardise`. */
export function standardiser(base: readonly Row[]): (x: readonly number[]) => number[] {
  const p = base[0].x.length;
  const mu = new Array<number>(p).fill(0), sd = new Array<number>(p).fill(0);
  for (const r of base) for (let j = 0; j < p; j++) mu[j] += r.x[j] / base.length;
  for (const r of base) for (let j = 0; j < p; j++) sd[j] += (r.x[j] - mu[j]) ** 2 / base.length;
  const keep = [...sd.keys()].filter((j) => sd[j] > 1e-12);
  return (x) => keep.map((j) => (x[j] - mu[j]) / Math.sqrt(sd[j]));
}

/** Accumulated normal equations [XᵀWX | XᵀWy] with an intercept column first. */
function normal(rows: readonly Row[], w: number, into: Float64Array[] | number): Float64Array[] {
  const p = typeof into === 'number' ? into : into.length;
  const M = typeof into === 'number' ? Array.from({ length: p }, () => new Float64Array(p + 1)) : into.map((r) => Float64Array.from(r));
  for (const r of rows) {
    const z = [1, ...r.x];
    for (let i = 0; i < p; i++) {
      M[i][p] += w * z[i] * r.y;
      for (let j = 0; j < p; j++) M[i][j] += w * z[i] * z[j];
    }
  }
  return M;
}

function solve(M0: readonly Float64Array[], lambda: number): number[] {
  const p = M0.length;
  const M = M0.map((r) => Float64Array.from(r));
  for (let i = 1; i < p; i++) M[i][i] += lambda;
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
    [M[c], M[piv]] = [M[piv], M[c]];
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= p; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((row, i) => row[p] / row[i]);
}

export const predictRow = (beta: readonly number[], x: readonly number[]) => beta[0] + x.reduce((s, v, j) => s + v * beta[j + 1], 0);

export interface AdaptedHead {
  beta: number[];
  weight: number;
  /** Leave-one-out predictions at the K points with the chosen weight (their honest residuals). */
  loo: number[];
  looMae: number;
}

/** Weighted ridge on base + K rows, w by leave-one-out MAE on the K rows (ties: the smaller w). */
export function adaptHead(base: readonly Row[], k: readonly Row[], grid: readonly number[] = WEIGHT_GRID, lambda = RIDGE_LAMBDA): AdaptedHead {
  const B = normal(base, 1, (base[0] ?? k[0]).x.length + 1);
  let best: AdaptedHead | null = null;
  for (const w of grid) {
    const loo = k.map((_, j) => predictRow(solve(normal(k.filter((__, i) => i !== j), w, B), lambda), k[j].x));
    const looMae = loo.reduce((a, v, j) => a + Math.abs(v - k[j].y), 0) / Math.max(1, k.length);
    if (!best || looMae < best.looMae - 1e-12) best = { beta: solve(normal(k, w, B), lambda), weight: w, loo, looMae };
  }
  return best!;
}

/** Ridge penalties of the prior-centred head (standardised features); 1e9 ≈ a level shift only. */
export const DELTA_LAMBDAS: readonly number[] = [1e9, 100, 30, 10, 3, 1];

/**
 * The prior-centred variant: the base head β₀ kept as the prior, the K readings fit a level c and a change δ of
 * the feature weights, min Σ_K (y − x·(β₀+δ) − c)² + λ|δ|², λ by leave-one-out on the K points. λ → ∞ is the
 * level correction, so the choice includes "no adaptation beyond the level".
 */
export function adaptDelta(beta0: readonly number[], k: readonly Row[], lambdas: readonly number[] = DELTA_LAMBDAS): { predict: (x: readonly number[]) => number; lambda: number; loo: number[] } {
  const r = k.map((row) => ({ x: row.x, y: row.y - predictRow(beta0, row.x) }));
  let best: { lambda: number; looMae: number; loo: number[]; beta: number[] } | null = null;
  for (const lambda of lambdas) {
    const h = adaptHead([], r, [1], lambda);
    const loo = h.loo.map((v, j) => v + predictRow(beta0, k[j].x));
    if (!best || h.looMae < best.looMae - 1e-12) best = { lambda, looMae: h.looMae, loo, beta: h.beta };
  }
  const b = best!;
  return { predict: (x) => predictRow(beta0, x) + predictRow(b.beta, x), lambda: b.lambda, loo: b.loo };
}

/** Leave-one-out MAE of ridge (intercept free) on n rows of many features, in the dual form (n × n). */
export function dualLooMae(X: readonly (readonly number[])[], y: readonly number[], lambda: number): number {
  const n = y.length, p = X[0].length;
  const mu = new Array<number>(p).fill(0);
  for (const x of X) for (let j = 0; j < p; j++) mu[j] += x[j] / n;
  const ym = y.reduce((a, v) => a + v, 0) / n;
  const Xc = X.map((x) => x.map((v, j) => v - mu[j]));
  const G = Xc.map((a) => Xc.map((b) => a.reduce((s, v, j) => s + v * b[j], 0)));
  // A = (G + λI)⁻¹ by Gauss–Jordan; H = G·A
  const M = G.map((row, i) => [...row.map((v, j) => v + (i === j ? lambda : 0)), ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    const piv = M[c][c];
    for (let j = 0; j < 2 * n; j++) M[c][j] /= piv;
    for (let r = 0; r < n; r++) if (r !== c) { const f = M[r][c]; if (f) for (let j = 0; j < 2 * n; j++) M[r][j] -= f * M[c][j]; }
  }
  const A = M.map((row) => row.slice(n));
  let s = 0;
  for (let i = 0; i < n; i++) {
    let hii = 0, yh = ym;
    for (let j = 0; j < n; j++) {
      const gij = G[i].reduce((a, g, l) => a + g * A[l][j], 0);
      if (j === i) hii = gij;
      yh += gij * (y[j] - ym);
    }
    s += Math.abs((y[i] - yh) / (1 - hii - 1 / n));
  }
  return s / n;
}
