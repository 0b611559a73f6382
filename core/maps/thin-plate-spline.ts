import { Matrix, LuDecomposition } from 'ml-matrix';

/**
 * Thin-plate spline interpolation in the plane (Duchon 1976; Bookstein 1989):
 *
 *   f(x) = a0 + a1·x + a2·y + Σᵢ wᵢ · U(|x − pᵢ|),   U(r) = r² · ln r  (U(0) = 0)
 *
 * with Σ wᵢ = Σ wᵢxᵢ = Σ wᵢyᵢ = 0. It is the smoothest interpolant (minimum bending energy) and, with
 * λ = 0, passes exactly through every sample. λ > 0 gives a smoothing spline (K + λ·I); we keep λ = 0 for
 * measured maps because each reading is a laboratory result the map must honour.
 *
 * Coordinates are divided by `scale` (the section radius) before fitting so that K is well conditioned
 * whatever the unit; the fit is one dense (n+3)² LU solve — 85 points take well under a millisecond.
 */
export interface ThinPlateSpline {
  readonly n: number;
  evaluate(x: number, y: number): number;
}

export interface TpsSample {
  x: number;
  y: number;
  value: number;
}

function U(r2: number): number {
  // r² ln r = ½ r² ln r²
  return r2 > 0 ? 0.5 * r2 * Math.log(r2) : 0;
}

export function fitThinPlateSpline(samples: readonly TpsSample[], opts: { scale?: number; smoothing?: number } = {}): ThinPlateSpline {
  const n = samples.length;
  if (n < 3) throw new RangeError(`a thin-plate spline needs at least 3 points with readings, got ${n}`);
  for (const [i, s] of samples.entries()) {
    if (![s.x, s.y, s.value].every(Number.isFinite)) throw new RangeError(`point ${i + 1} has a non-finite coordinate or value`);
  }
  const scale = opts.scale ?? Math.max(1e-12, ...samples.map((s) => Math.hypot(s.x, s.y)));
  const lambda = opts.smoothing ?? 0;
  const xs = samples.map((s) => s.x / scale);
  const ys = samples.map((s) => s.y / scale);
  if (collinear(xs, ys)) throw new RangeError('the points with readings all lie on one line; a surface needs points off that line');

  const L = Matrix.zeros(n + 3, n + 3);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = xs[i] - xs[j];
      const dy = ys[i] - ys[j];
      const u = U(dx * dx + dy * dy);
      L.set(i, j, u);
      L.set(j, i, u);
    }
    L.set(i, i, lambda);
    L.set(i, n, 1);
    L.set(i, n + 1, xs[i]);
    L.set(i, n + 2, ys[i]);
    L.set(n, i, 1);
    L.set(n + 1, i, xs[i]);
    L.set(n + 2, i, ys[i]);
  }
  const rhs = Matrix.zeros(n + 3, 1);
  for (let i = 0; i < n; i++) rhs.set(i, 0, samples[i].value);
  const lu = new LuDecomposition(L);
  if (lu.isSingular()) throw new RangeError('two points share the same position; merge or move them before mapping');
  const sol = lu.solve(rhs).getColumn(0);
  const w = Float64Array.from(sol.slice(0, n));
  const [a0, a1, a2] = sol.slice(n);
  const px = Float64Array.from(xs);
  const py = Float64Array.from(ys);
  return {
    n,
    evaluate(x: number, y: number): number {
      const u = x / scale;
      const v = y / scale;
      let f = a0 + a1 * u + a2 * v;
      for (let i = 0; i < n; i++) {
        const dx = u - px[i];
        const dy = v - py[i];
        f += w[i] * U(dx * dx + dy * dy);
      }
      return f;
    },
  };
}

/** Whether points lie on one line by the spline's own test (the surface refuses them): the one test every guard takes. */
export function pointsOnOneLine(points: readonly { xMm: number; yMm: number }[]): boolean {
  return points.length < 3 || collinear(points.map((p) => p.xMm), points.map((p) => p.yMm));
}

function collinear(xs: number[], ys: number[]): boolean {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  // smallest eigenvalue of the 2×2 scatter matrix ≈ 0 ⇔ all points on a line
  const tr = sxx + syy;
  const det = sxx * syy - sxy * sxy;
  const lmin = tr / 2 - Math.sqrt(Math.max(0, (tr * tr) / 4 - det));
  return lmin <= 1e-10 * Math.max(tr, 1e-300);
}
