/**
 * Gaussian-process regression (simple kriging about the sample mean) with a Matérn 5/2 covariance and a
 * nugget, the numerical part of the smoothed predicted map (smooth-field.ts).
 *
 * Model: value(x) = μ + f(x) + ε, f ~ GP(0, σf²·k(r/ℓ)), ε ~ N(0, σn²) independent per sample (patch noise).
 * It is parametrised by the length scale ℓ and the nugget ratio λ = σn²/σf²: the smoothed mean depends on
 * those two only, so they are chosen by leave-one-out cross-validation (closed form, below); σf² then follows
 * from the LOO residuals (their standardised mean square is 1), which calibrates the interval.
 *
 * LOO in closed form (Rasmussen & Williams 2006, §5.4.2): with A = K + λI, the held-out residual of sample i is
 * [A⁻¹y]ᵢ / [A⁻¹]ᵢᵢ and its predictive variance σf² / [A⁻¹]ᵢᵢ: one Cholesky factorisation per (ℓ, λ) and window.
 */

/** Matérn 5/2 correlation at distance r for length scale ℓ. */
export function matern52(r: number, ell: number): number {
  const a = (Math.sqrt(5) * r) / ell;
  return (1 + a + (a * a) / 3) * Math.exp(-a);
}

export interface LooScore {
  lengthScaleMm: number;
  noiseRatio: number;
  /** RMS of the leave-one-out residuals (units of the values). */
  cvRmse: number;
  /** σf² that makes the standardised LOO residuals' mean square 1. */
  signalVar: number;
}

/**
 * LOO-CV scores of every (ℓ, λ) on the grids (ℓ-major). Each window is a set of neighbouring samples (indices
 * into xs/ys/y, y centred); every sample of a window is held out in turn and predicted from the rest of its
 * window, so the CV sees the samples at their own spacing. Scores pool all windows. `check` is called between
 * length scales (cancellation).
 */
export function looScores(xs: Float64Array, ys: Float64Array, y: Float64Array, windows: readonly (readonly number[])[], lengthScales: readonly number[], ratios: readonly number[], check?: () => void): LooScore[] {
  const out: LooScore[] = [];
  const total = windows.reduce((s, w) => s + w.length, 0);
  for (const ell of lengthScales) {
    check?.();
    const acc = ratios.map(() => ({ ss: 0, sv: 0 }));
    for (const win of windows) {
      const m = win.length;
      const K = new Float64Array(m * m);
      for (let i = 0; i < m; i++) {
        K[i * m + i] = 1;
        for (let j = 0; j < i; j++) {
          const c = matern52(Math.hypot(xs[win[i]] - xs[win[j]], ys[win[i]] - ys[win[j]]), ell);
          K[i * m + j] = c;
          K[j * m + i] = c;
        }
      }
      const yw = Float64Array.from(win, (q) => y[q]);
      ratios.forEach((lambda, r) => {
        const A = K.slice();
        for (let i = 0; i < m; i++) A[i * m + i] += lambda;
        cholesky(A, m);
        const alpha = yw.slice();
        forwardSolve(A, m, alpha);
        backSolve(A, m, alpha);
        const diag = inverseDiagonal(A, m);
        for (let i = 0; i < m; i++) {
          const res = alpha[i] / diag[i];
          acc[r].ss += res * res;
          acc[r].sv += res * res * diag[i];
        }
      });
    }
    ratios.forEach((lambda, r) => out.push({ lengthScaleMm: ell, noiseRatio: lambda, cvRmse: Math.sqrt(acc[r].ss / total), signalVar: acc[r].sv / total }));
  }
  return out;
}

/** diag(A⁻¹) from A's lower Cholesky factor L: the squared column norms of L⁻¹. */
function inverseDiagonal(L: Float64Array, n: number): Float64Array {
  const diag = new Float64Array(n);
  const col = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    // column c of L⁻¹ is zero above row c
    col.fill(0, 0, c);
    col[c] = 1 / L[c * n + c];
    let s = col[c] * col[c];
    for (let i = c + 1; i < n; i++) {
      let t = 0;
      const ri = i * n;
      for (let k = c; k < i; k++) t -= L[ri + k] * col[k];
      col[i] = t / L[ri + i];
      s += col[i] * col[i];
    }
    diag[c] = s;
  }
  return diag;
}

/** In-place lower Cholesky factor of the n×n row-major symmetric positive-definite matrix `a`. */
export function cholesky(a: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let s = a[rj + j];
    for (let k = 0; k < j; k++) s -= a[rj + k] * a[rj + k];
    if (!(s > 0)) throw new Error('kriging matrix is not positive definite (nugget too small for these points)');
    const ljj = Math.sqrt(s);
    a[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let t = a[ri + j];
      for (let k = 0; k < j; k++) t -= a[ri + k] * a[rj + k];
      a[ri + j] = t / ljj;
    }
    for (let k = j + 1; k < n; k++) a[rj + k] = 0;
  }
}

/** Solves L·x = b in place (L lower, row-major n×n). */
export function forwardSolve(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    const ri = i * n;
    for (let k = 0; k < i; k++) s -= L[ri + k] * b[k];
    b[i] = s / L[ri + i];
  }
}

/** Solves Lᵀ·x = b in place. */
export function backSolve(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * b[k];
    b[i] = s / L[i * n + i];
  }
}

export interface KrigingParams {
  lengthScaleMm: number;
  noiseRatio: number;
  signalVar: number;
  mean: number;
}

/**
 * Kriging of the latent field f + μ at the targets from one neighbourhood of samples: mean and sd (sd of
 * the smoothed field, nugget excluded). Writes into `mean`/`sd` at the targets' output indices.
 */
export function krigeNeighbourhood(
  p: KrigingParams,
  sx: Float64Array,
  sy: Float64Array,
  sv: Float64Array,
  nb: readonly number[],
  targets: readonly { x: number; y: number; k: number }[],
  mean: Float64Array,
  sd: Float64Array,
): void {
  const n = nb.length;
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const a = nb[i];
    A[i * n + i] = 1 + p.noiseRatio;
    for (let j = 0; j < i; j++) {
      const b = nb[j];
      const c = matern52(Math.hypot(sx[a] - sx[b], sy[a] - sy[b]), p.lengthScaleMm);
      A[i * n + j] = c;
      A[j * n + i] = c;
    }
  }
  cholesky(A, n);
  const alpha = Float64Array.from(nb, (a) => sv[a] - p.mean);
  forwardSolve(A, n, alpha);
  backSolve(A, n, alpha);
  const kt = new Float64Array(n);
  for (const t of targets) {
    let mu = 0;
    for (let i = 0; i < n; i++) {
      const a = nb[i];
      kt[i] = matern52(Math.hypot(t.x - sx[a], t.y - sy[a]), p.lengthScaleMm);
      mu += kt[i] * alpha[i];
    }
    forwardSolve(A, n, kt);
    let q = 0;
    for (let i = 0; i < n; i++) q += kt[i] * kt[i];
    mean[t.k] = p.mean + mu;
    sd[t.k] = Math.sqrt(Math.max(0, p.signalVar * (1 - q)));
  }
}
