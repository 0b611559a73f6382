import { createForkingRng, type ForkingRng } from '../runtime/random.js';
import { createNoise, bilinear } from './noise.js';

export type SyntheticVariant = 'base' | 'stirring' | 'low-carbon';
export const SYNTHETIC_VARIANTS: readonly SyntheticVariant[] = ['base', 'stirring', 'low-carbon'];

/**
 * Parameters of the carbon field (segregation.md §1.4, [design] recipe kept inside the §1.2 anchors).
 * ρ = r/R measured from the (slightly eccentric) solidification centre; S = C/C0 is the segregation ratio.
 */
export interface FieldParams {
  diameterMm: number;
  c0WtPct: number;
  /** Eccentric shift of the last-to-solidify centre (fraction of R) and its direction (rad, x right / y down). */
  centreShift: number;
  centreShiftAngle: number;
  /** Gentle edge→centre rise of carbon (the paper's Fig. 2A trend): S += A_r·(½ − ρ²). */
  radialAmp: number;
  /** Centre positive segregation S += A_c·exp(−(ρ'/w_c)²). */
  centreAmp: number;
  centreWidth: number;
  /** Negative "white band" S −= A_w·exp(−((ρ−ρ_w)/σ_w)²). */
  whiteBandAmp: number;
  whiteBandRho: number;
  whiteBandSigma: number;
  /** CET ring S += A_cet·exp(−((ρ−ρ_cet)/σ_cet)²)·(1+ε cos(kθ+φ)). */
  cetAmp: number;
  cetRho: number;
  cetSigma: number;
  cetLobes: number;
  cetLobeAmp: number;
  cetLobePhase: number;
  /** Outer edge of the equiaxed core / start of the columnar zone (≈ CET radius) and the chill zone start. */
  equiaxedRho: number;
  chillRho: number;
  /** Correlated (fBm) noise on S, its base wavelength in mm. */
  noiseAmp: number;
  noiseWavelengthMm: number;
  /** Spot segregation blobs in the equiaxed core. */
  spots: Array<{ xMm: number; yMm: number; radiusMm: number; amp: number }>;
  /** Centre porosity: pores (mm, billet-centred) biased to the side of the centre shift. */
  pores: Array<{ xMm: number; yMm: number; radiusMm: number }>;
  /** The section std the noise amplitude was solved for. */
  targetStdWtPct: number;
}

export interface FieldStats {
  meanWtPct: number;
  stdWtPct: number;
  minWtPct: number;
  maxWtPct: number;
  rangeWtPct: number;
  /** C at the centre / C0 (segregation index at the centre). */
  centreIndex: number;
  /** Lowest ring-averaged S (the white band) and where. */
  whiteBandMinIndex: number;
  gridSpacingMm: number;
}

export interface CarbonField {
  params: FieldParams;
  /** Grid at `spacingMm` covering [−R, R]², row-major, values in wt.% (outside the section: C0). */
  grid: Float32Array;
  n: number;
  spacingMm: number;
  stats: FieldStats;
  /** Carbon (wt.%) at a billet-centred mm position (x right, y down), bilinear on the grid. */
  carbonAt(xMm: number, yMm: number): number;
}


export function drawFieldParams(rng: ForkingRng, variant: SyntheticVariant, diameterMm: number): FieldParams {
  const R = diameterMm / 2;
  const stirring = variant === 'stirring';
  const c0 = variant === 'low-carbon' ? rng.uniform(0.365, 0.385) : rng.uniform(0.40, 0.44);
  const centreShift = rng.uniform(0.0, 0.05);
  const centreShiftAngle = rng.uniform(0, 2 * Math.PI);
  const cetRho = stirring ? rng.uniform(0.45, 0.6) : rng.uniform(0.3, 0.45);
  const p: FieldParams = {
    diameterMm,
    c0WtPct: c0,
    centreShift,
    centreShiftAngle,
    // Stronger stirring: more equiaxed, lower centre peak, deeper white band (42CrMoA and bloom anchors, §1.2).
    radialAmp: stirring ? rng.uniform(0.01, 0.025) : rng.uniform(0.02, 0.04),
    centreAmp: stirring ? rng.uniform(0.03, 0.06) : rng.uniform(0.07, 0.12),
    centreWidth: rng.uniform(0.06, 0.12),
    whiteBandAmp: stirring ? rng.uniform(0.045, 0.06) : rng.uniform(0.02, 0.035),
    whiteBandRho: stirring ? rng.uniform(0.72, 0.82) : rng.uniform(0.66, 0.78),
    whiteBandSigma: stirring ? rng.uniform(0.025, 0.035) : rng.uniform(0.015, 0.025),
    cetAmp: rng.uniform(0.02, 0.05),
    cetRho,
    cetSigma: rng.uniform(0.04, 0.07),
    cetLobes: 3 + rng.int(4),
    cetLobeAmp: rng.uniform(0.15, 0.4),
    cetLobePhase: rng.uniform(0, 2 * Math.PI),
    equiaxedRho: cetRho,
    chillRho: rng.uniform(0.965, 0.985),
    noiseAmp: 0,
    noiseWavelengthMm: rng.uniform(35, 60),
    spots: [],
    pores: [],
    targetStdWtPct: stirring ? rng.uniform(0.021, 0.026) : rng.uniform(0.017, 0.023),
  };
  const ex = Math.cos(centreShiftAngle) * centreShift * R, ey = Math.sin(centreShiftAngle) * centreShift * R;
  const nSpots = 25 + rng.int(25);
  for (let i = 0; i < nSpots; i++) {
    const r = Math.sqrt(rng.next()) * cetRho * R * 0.9, a = rng.uniform(0, 2 * Math.PI);
    p.spots.push({ xMm: ex + r * Math.cos(a), yMm: ey + r * Math.sin(a), radiusMm: rng.uniform(2, 6), amp: rng.uniform(0.03, 0.08) });
  }
  const nPores = 15 + rng.int(25);
  const poreZone = rng.uniform(0.02, 0.08) * R;
  for (let i = 0; i < nPores; i++) {
    const r = Math.abs(rng.normal()) * poreZone * 0.6, a = rng.uniform(0, 2 * Math.PI);
    p.pores.push({ xMm: ex * 1.2 + r * Math.cos(a), yMm: ey * 1.2 + r * Math.sin(a), radiusMm: rng.uniform(0.4, 2.5) });
  }
  return p;
}

/** The deterministic S(ρ, θ) − 1 (no noise), at a billet-centred mm position. */
function structuralS(p: FieldParams, xMm: number, yMm: number): number {
  const R = p.diameterMm / 2;
  const rho = Math.hypot(xMm, yMm) / R;
  const theta = Math.atan2(yMm, xMm);
  const ex = Math.cos(p.centreShiftAngle) * p.centreShift * R, ey = Math.sin(p.centreShiftAngle) * p.centreShift * R;
  const rhoC = Math.hypot(xMm - ex, yMm - ey) / R;
  let s = p.radialAmp * (0.5 - rho * rho);
  s += p.centreAmp * Math.exp(-((rhoC / p.centreWidth) ** 2));
  s -= p.whiteBandAmp * Math.exp(-(((rho - p.whiteBandRho) / p.whiteBandSigma) ** 2));
  s += p.cetAmp * Math.exp(-(((rho - p.cetRho) / p.cetSigma) ** 2)) * (1 + p.cetLobeAmp * Math.cos(p.cetLobes * theta + p.cetLobePhase));
  // Chill zone: rapid freezing keeps it near C0, slightly lean (solute rejected inwards).
  if (rho > p.chillRho) s -= 0.01 * Math.min(1, (rho - p.chillRho) / (1 - p.chillRho));
  for (const b of p.spots) {
    const d2 = (xMm - b.xMm) ** 2 + (yMm - b.yMm) ** 2;
    if (d2 < 9 * b.radiusMm * b.radiusMm) s += b.amp * Math.exp(-d2 / (b.radiusMm * b.radiusMm));
  }
  return s;
}

/**
 * Builds the carbon field on a grid (default 1 mm). The grid IS the truth: `carbonAt` interpolates it, and the
 * texture renderer samples the same grid, so image and labels cannot drift apart. The fBm amplitude is solved so
 * that the section std equals `targetStdWtPct`.
 */
export function buildCarbonField(p: FieldParams, noiseSeed: number, spacingMm = 1): CarbonField {
  const R = p.diameterMm / 2;
  const n = Math.ceil((2 * R) / spacingMm) + 1;
  const noise = createNoise(createForkingRng(noiseSeed));
  const det = new Float64Array(n * n);
  const nz = new Float64Array(n * n);
  const inside = new Uint8Array(n * n);
  let cnt = 0;
  for (let j = 0; j < n; j++) {
    const y = -R + j * spacingMm;
    for (let i = 0; i < n; i++) {
      const x = -R + i * spacingMm;
      const k = j * n + i;
      det[k] = structuralS(p, x, y);
      // Stretched along the tangent in the columnar zone (channel-type segregation follows the dendrites).
      nz[k] = noise.fbm(x / p.noiseWavelengthMm, y / p.noiseWavelengthMm, 4);
      if (x * x + y * y <= R * R) {
        inside[k] = 1;
        cnt++;
      }
    }
  }
  // Solve var(det + a·nz) = (target/C0)² for a ≥ 0.
  let md = 0, mn = 0;
  for (let k = 0; k < det.length; k++) if (inside[k]) { md += det[k]; mn += nz[k]; }
  md /= cnt; mn /= cnt;
  let vd = 0, vn = 0, cv = 0;
  for (let k = 0; k < det.length; k++) {
    if (!inside[k]) continue;
    const a = det[k] - md, b = nz[k] - mn;
    vd += a * a; vn += b * b; cv += a * b;
  }
  vd /= cnt; vn /= cnt; cv /= cnt;
  const target = (p.targetStdWtPct / p.c0WtPct) ** 2;
  // a²·vn + 2a·cv + vd − target = 0
  const disc = cv * cv - vn * (vd - target);
  const a = disc > 0 ? Math.max(0.005, (-cv + Math.sqrt(disc)) / vn) : 0.005;
  p.noiseAmp = a;
  const grid = new Float32Array(n * n);
  let sum = 0, sum2 = 0, mi = Infinity, ma = -Infinity;
  for (let k = 0; k < grid.length; k++) {
    const c = inside[k] ? p.c0WtPct * (1 + det[k] + a * nz[k]) : p.c0WtPct;
    grid[k] = c;
    if (inside[k]) {
      sum += c; sum2 += c * c;
      if (c < mi) mi = c;
      if (c > ma) ma = c;
    }
  }
  const mean = sum / cnt;
  const carbonAt = (xMm: number, yMm: number) => bilinear(grid, n, n, (xMm + R) / spacingMm, (yMm + R) / spacingMm);
  // Ring-averaged minimum of S outside the core (the white band's depth).
  let wbMin = Infinity;
  for (let rr = 0.5; rr < 0.95; rr += 0.01) {
    let s = 0;
    for (let t = 0; t < 180; t++) {
      const th = (2 * Math.PI * t) / 180;
      s += carbonAt(rr * R * Math.cos(th), rr * R * Math.sin(th));
    }
    wbMin = Math.min(wbMin, s / 180 / p.c0WtPct);
  }
  const ex = Math.cos(p.centreShiftAngle) * p.centreShift * R, ey = Math.sin(p.centreShiftAngle) * p.centreShift * R;
  return {
    params: p,
    grid,
    n,
    spacingMm,
    carbonAt,
    stats: {
      meanWtPct: mean,
      stdWtPct: Math.sqrt(Math.max(0, sum2 / cnt - mean * mean)),
      minWtPct: mi,
      maxWtPct: ma,
      rangeWtPct: ma - mi,
      centreIndex: carbonAt(ex, ey) / p.c0WtPct,
      whiteBandMinIndex: wbMin,
      gridSpacingMm: spacingMm,
    },
  };
}

