import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { forwardBatch, weightCount } from './mlp.js';
import type { Rng } from '../runtime/random.js';

/**
 * Bayesian-regularised Levenberg–Marquardt (MacKay 1992; Foresee & Hagan 1997), following MATLAB
 * `trainbr` (research notes §5.1): minimise F = β·E_D + α·E_W with E_D = Σe², E_W = Σw²; after each
 * accepted LM step re-estimate γ = Nw − α·tr((β·JᵀJ + α·I)⁻¹), α = γ / (2E_W), β = (N − γ) / (2E_D).
 * γ is the effective number of parameters the data support. Dense n×n solves and the inverse's trace
 * use ml-matrix's Cholesky decomposition. With `regularise: false` it is plain LM on E_D (α = 0),
 * kept for comparison.
 */
export interface BrOptions {
  epochs?: number;
  regularise?: boolean;
  mu?: number;
  muDec?: number;
  muInc?: number;
  muMax?: number;
  minGrad?: number;
}

export interface BrResult {
  weights: Float64Array;
  /** Effective number of parameters at the end (Nw when not regularised). */
  gamma: number;
  alpha: number;
  beta: number;
  /** Σe² on the training rows (scaled units). */
  sse: number;
  epochs: number;
  stop: string;
}

/** Nguyen–Widrow initialisation for tanh units, from the seeded generator. */
export function initWeights(ni: number, nh: number, rng: Rng): Float64Array {
  const w = new Float64Array(weightCount(ni, nh));
  const mag = 0.7 * Math.pow(nh, 1 / Math.max(1, ni));
  for (let h = 0; h < nh; h++) {
    const base = h * (ni + 1);
    let norm = 0;
    for (let j = 0; j < ni; j++) {
      w[base + j] = rng.uniform(-1, 1);
      norm += w[base + j] ** 2;
    }
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < ni; j++) w[base + j] *= mag / norm;
    w[base + ni] = rng.uniform(-mag, mag);
  }
  const outBase = nh * (ni + 1);
  for (let h = 0; h <= nh; h++) w[outBase + h] = rng.uniform(-0.5, 0.5);
  return w;
}

function sumSq(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return s;
}

/**
 * tr(A⁻¹) from the Cholesky factor A = L·Lᵀ: tr(A⁻¹) = ‖L⁻¹‖²_F, one forward substitution per
 * column of the identity (n³/6 operations instead of forming the inverse).
 */
export function traceOfInverse(lower: Matrix, n: number): number {
  const l = lower.to2DArray();
  const y = new Float64Array(n);
  let tr = 0;
  for (let j = 0; j < n; j++) {
    for (let i = j; i < n; i++) {
      let s = i === j ? 1 : 0;
      const row = l[i];
      for (let k = j; k < i; k++) s -= row[k] * y[k];
      y[i] = s / row[i];
      tr += y[i] * y[i];
    }
  }
  return tr;
}

/** x: ns × ni scaled inputs (row-major), t: ns scaled targets. */
export function trainBr(x: Float64Array, t: Float64Array, ni: number, nh: number, rng: Rng, opts: BrOptions = {}): BrResult {
  const ns = t.length;
  const n = weightCount(ni, nh);
  const reg = opts.regularise ?? true;
  const epochs = opts.epochs ?? 100;
  const muDec = opts.muDec ?? 0.1;
  const muInc = opts.muInc ?? 10;
  const muMax = opts.muMax ?? 1e10;
  const minGrad = opts.minGrad ?? 1e-7;
  let mu = opts.mu ?? 0.005;

  let w = initWeights(ni, nh, rng);
  const y = new Float64Array(ns);
  const e = new Float64Array(ns);
  const jac = new Float64Array(ns * n);
  const jj = new Float64Array(n * n);
  const je = new Float64Array(n);
  const w2 = new Float64Array(n);
  const y2 = new Float64Array(ns);

  const errors = (weights: Float64Array, out: Float64Array, withJac: boolean): number => {
    forwardBatch(weights, ni, nh, x, ns, out, withJac ? jac : undefined);
    let s = 0;
    for (let i = 0; i < ns; i++) {
      const d = out[i] - t[i];
      if (withJac) e[i] = d;
      s += d * d;
    }
    return s;
  };

  let sse = errors(w, y, true);
  let ssw = sumSq(w);
  let gamma = n;
  let beta = reg ? (sse === 0 ? 1 : Math.max((ns - gamma) / (2 * sse), 1e-12)) : 1;
  if (reg && beta <= 0) beta = 1;
  let alpha = reg ? gamma / (2 * Math.max(ssw, 1e-12)) : 0;
  let perf = beta * sse + alpha * ssw;
  let stop = 'max epochs';
  let epoch = 0;

  for (; epoch < epochs; epoch++) {
    // JᵀJ and Jᵀe, accumulated row by row (symmetric: upper triangle then mirrored).
    jj.fill(0);
    je.fill(0);
    for (let s = 0; s < ns; s++) {
      const ro = s * n;
      const es = e[s];
      for (let a = 0; a < n; a++) {
        const ja = jac[ro + a];
        if (ja === 0) continue;
        je[a] += ja * es;
        const rowA = a * n;
        for (let b = a; b < n; b++) jj[rowA + b] += ja * jac[ro + b];
      }
    }
    for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) jj[a * n + b] = jj[b * n + a];

    let grad = 0;
    for (let a = 0; a < n; a++) grad += (beta * je[a] + alpha * w[a]) ** 2;
    if (Math.sqrt(grad) < minGrad) {
      stop = 'minimum gradient';
      break;
    }

    let accepted = false;
    while (mu <= muMax) {
      const h = new Matrix(n, n);
      for (let a = 0; a < n; a++) {
        for (let b = 0; b < n; b++) h.set(a, b, beta * jj[a * n + b]);
        h.set(a, a, h.get(a, a) + mu + alpha);
      }
      const rhs = new Matrix(n, 1);
      for (let a = 0; a < n; a++) rhs.set(a, 0, -(beta * je[a] + alpha * w[a]));
      const chol = new CholeskyDecomposition(h);
      if (chol.isPositiveDefinite()) {
        const dx = chol.solve(rhs);
        let finite = true;
        for (let a = 0; a < n; a++) {
          const v = dx.get(a, 0);
          if (!Number.isFinite(v)) finite = false;
          w2[a] = w[a] + v;
        }
        if (finite) {
          const sse2 = errors(w2, y2, false);
          const ssw2 = sumSq(w2);
          const perf2 = beta * sse2 + alpha * ssw2;
          if (perf2 < perf) {
            w = Float64Array.from(w2);
            mu = Math.max(mu * muDec, 1e-20);
            accepted = true;
            break;
          }
        }
      }
      mu *= muInc;
    }
    if (!accepted) {
      stop = 'mu above maximum';
      break;
    }
    sse = errors(w, y, true);
    ssw = sumSq(w);
    if (reg) {
      // γ from the Gauss–Newton Hessian of the regularised cost at the accepted weights.
      const a = new Matrix(n, n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) a.set(i, j, beta * jj[i * n + j]);
        a.set(i, i, a.get(i, i) + alpha);
      }
      const chol = new CholeskyDecomposition(a);
      if (chol.isPositiveDefinite()) {
        gamma = Math.min(n, Math.max(0, n - alpha * traceOfInverse(chol.lowerTriangularMatrix, n)));
      }
      alpha = ssw === 0 ? 1 : gamma / (2 * ssw);
      beta = sse === 0 ? 1 : Math.max((ns - gamma) / (2 * sse), 1e-12);
    }
    perf = beta * sse + alpha * ssw;
  }
  return { weights: w, gamma, alpha, beta, sse, epochs: epoch, stop };
}
