import { createForkingRng, type ForkingRng } from '../runtime/random.js';
import { createNoise, bilinear } from './noise.js';
import type { CarbonField } from './field.js';

/**
 * Etch appearance, drawn once per billet. Carbon is encoded by MORPHOLOGY — the interdendritic dark-phase
 * fraction rises with local carbon, secondary arm spacing in the core shrinks with it — while etch depth
 * (contrast), brightness offset and illumination gain are smooth random fields over ~100–250 mm "regions",
 * independent of carbon. Mean brightness of a patch therefore mixes carbon with illumination.
 */
export interface RenderParams {
  sizePx: number;
  /** Section radius and centre in pixels. */
  rPx: number;
  cxPx: number;
  cyPx: number;
  mmPerPx: number;
  /**
   * The pixel scale the structure's lower limits (trunk, grain and arm spacing, fine noise) are taken at: the
   * image's own unless given. One billet rendered at several sizes with the same value has the same physical
   * structure — what scans of one section at other resolutions show.
   */
  structureMmPerPx: number;
  /** Spatial frequency factor of the fine texture noise (per mm). */
  fineScale: number;
  /** Samples per pixel side averaged into each pixel (a camera pixel integrates its area); 1 = point-sampled. */
  supersample?: number;
  /** Light (dendrite core) and dark (interdendritic) grey levels before regional etch/illumination. */
  lightLevel: number;
  darkLevel: number;
  background: number;
  /** Dark-phase threshold φ = phi0 + phiGain·(C − 0.42)/0.42 (absolute carbon, so a leaner billet looks leaner). */
  phi0: number;
  phiGain: number;
  /** Columnar primary-trunk spacing and equiaxed grain size / secondary arm spacing, mm. */
  trunkSpacingMm: number;
  grainSizeMm: number;
  armSpacingMm: number;
  /** Amplitudes of the nuisance fields. */
  etchDepthMin: number;
  etchDepthMax: number;
  offsetAmp: number;
  gainAmp: number;
  pixelNoise: number;
}

export function drawRenderParams(rng: ForkingRng, sizePx: number, diameterMm: number, structureMmPerPx?: number): RenderParams {
  const rPx = sizePx * rng.uniform(0.44, 0.47);
  const mmPerPx = diameterMm / (2 * rPx);
  const s = structureMmPerPx ?? mmPerPx;
  return {
    sizePx,
    rPx,
    cxPx: sizePx / 2 + rng.uniform(-0.01, 0.01) * sizePx,
    cyPx: sizePx / 2 + rng.uniform(-0.01, 0.01) * sizePx,
    mmPerPx,
    structureMmPerPx: s,
    // The image's own scale keeps the original (pixel-tied) fine noise; a given structure scale makes it physical:
    // features of max(0.5 mm, 2 structure px), so they are resolved at every size rendered with that scale.
    fineScale: structureMmPerPx === undefined ? 1 / Math.max(0.6, 0.5 / mmPerPx) : 1 / (2 * Math.max(0.5, 2 * s)),
    lightLevel: rng.uniform(175, 195),
    darkLevel: rng.uniform(55, 80),
    background: rng.uniform(18, 32),
    phi0: 0.45,
    phiGain: 2.4,
    // Never below ~4 px so small test images are not pure aliasing.
    trunkSpacingMm: Math.max(rng.uniform(1.6, 2.4), 4 * s),
    grainSizeMm: Math.max(rng.uniform(6, 9), 14 * s),
    armSpacingMm: Math.max(rng.uniform(1.0, 1.5), 3 * s),
    etchDepthMin: 0.45,
    etchDepthMax: 1.25,
    offsetAmp: rng.uniform(45, 60),
    gainAmp: rng.uniform(0.3, 0.4),
    pixelNoise: rng.uniform(4, 7),
  };
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
const smooth = (e0: number, e1: number, x: number) => {
  const t = clamp01((x - e0) / (e1 - e0));
  return t * t * (3 - 2 * t);
};

/** Renders the grey section (8-bit). Deterministic for (field, params, seed). */
export function renderSection(field: CarbonField, rp: RenderParams, seed: number): Uint8Array {
  const rng = createForkingRng(seed);
  const nFine = createNoise(rng.fork(1));
  const nWarp = createNoise(rng.fork(2));
  const nArm = createNoise(rng.fork(3));
  const nIllum = createNoise(rng.fork(4));
  const white = rng.fork(5);
  const p = field.params;
  const R = p.diameterMm / 2;
  const size = rp.sizePx;
  const out = new Uint8Array(size * size);

  // Nuisance fields on a 4 mm grid: etch depth (contrast), brightness offset, illumination gain.
  const gs = 4;
  const gn = Math.ceil((2 * R) / gs) + 1;
  const etch = new Float32Array(gn * gn), offs = new Float32Array(gn * gn), gain = new Float32Array(gn * gn);
  const vignetteDir = rng.uniform(0, 2 * Math.PI), vignetteAmp = rng.uniform(0.05, 0.12);
  for (let j = 0; j < gn; j++)
    for (let i = 0; i < gn; i++) {
      const x = -R + i * gs, y = -R + j * gs, k = j * gn + i;
      const e = 0.5 + 1.8 * nIllum.fbm(x / 170, y / 170, 3);
      etch[k] = rp.etchDepthMin + (rp.etchDepthMax - rp.etchDepthMin) * clamp01(e);
      offs[k] = rp.offsetAmp * 2.2 * nIllum.fbm(x / 130 + 31.7, y / 130 - 11.3, 3);
      gain[k] = 1 + rp.gainAmp * 2.2 * nIllum.fbm(x / 250 - 7.1, y / 250 + 5.9, 2) + vignetteAmp * ((x * Math.cos(vignetteDir) + y * Math.sin(vignetteDir)) / R);
    }

  // Equiaxed grains: one jittered seed per cell, random orientation.
  const g = rp.grainSizeMm;
  const gcells = Math.ceil((2 * R) / g) + 2;
  const seedX = new Float32Array(gcells * gcells), seedY = new Float32Array(gcells * gcells), seedA = new Float32Array(gcells * gcells);
  for (let k = 0; k < seedX.length; k++) {
    seedX[k] = rng.next();
    seedY[k] = rng.next();
    seedA[k] = rng.uniform(0, Math.PI / 2);
  }
  const tilts = Float32Array.from({ length: 97 }, () => rng.uniform(-0.3, 0.3));
  const trunks = Math.round((2 * Math.PI * 0.75 * R) / rp.trunkSpacingMm);
  const fineScale = rp.fineScale;
  const phiAt = (c: number) => rp.phi0 + rp.phiGain * (c - 0.42) / 0.42;
  const rimWidthPx = Math.max(1.5, rp.rPx * 0.004);
  let poreReach = 0;
  for (const pore of p.pores) poreReach = Math.max(poreReach, Math.hypot(pore.xMm, pore.yMm) + pore.radiusMm + 2 * rp.mmPerPx);

  /**
   * Grey value at image position (fx, fy) (pixel units, centre of pixel px at px + 0.5) with sensor noise `wn`;
   * NaN outside the section (the caller draws background).
   */
  const valueAt = (fx: number, fy: number, wn: number): number => {
    const dxp = fx - rp.cxPx, dyp = fy - rp.cyPx;
    const rpx = Math.hypot(dxp, dyp);
    if (rpx > rp.rPx + 0.5) return Number.NaN;
    const x = dxp * rp.mmPerPx, y = dyp * rp.mmPerPx;
    const rho = rpx / rp.rPx;
    const c = field.carbonAt(x, y);
    const phi = phiAt(c);
    const fine = nFine.noise2(x * fineScale * 2, y * fineScale * 2);

    // Columnar: radial trunks with secondary arms, slightly wavy.
    let tCol = 0;
    const wEq = 1 - smooth(p.equiaxedRho - 0.03, p.equiaxedRho + 0.03, rho);
    const wChill = smooth(p.chillRho - 0.005, p.chillRho + 0.005, rho);
    if (wEq < 1 && wChill < 1) {
      // Columnar grains: angular sectors of ~8 trunks, each with its own slight tilt from the radial direction.
      const th = Math.atan2(y, x) + 0.012 * nWarp.noise2(x / 40, y / 40);
      const sector = Math.floor(((th + Math.PI) * trunks) / (2 * Math.PI * 8) + 0.3 * nWarp.noise2(x / 60 + 3.3, y / 60));
      const tilt = tilts[((sector % tilts.length) + tilts.length) % tilts.length];
      const t1 = 0.5 + 0.5 * Math.cos(th * trunks + tilt * ((2 * Math.PI * rpx * rp.mmPerPx) / rp.trunkSpacingMm));
      const r = rpx * rp.mmPerPx;
      const t2 = 0.5 + 0.5 * Math.cos((2 * Math.PI * r) / rp.armSpacingMm + 2.5 * nArm.noise2(x / 8, y / 8));
      tCol = Math.pow(t1, 0.8) * (0.65 + 0.35 * t2) + 0.25 * fine;
    }
    // Equiaxed: 4-armed dendrites around the nearest grain seed; arm spacing shrinks as carbon rises.
    let tEq = 0;
    if (wEq > 0 && wChill < 1) {
      const gx = (x + R) / g, gy = (y + R) / g;
      const ci = Math.floor(gx), cj = Math.floor(gy);
      let best = Infinity, bx = 0, by = 0, ba = 0;
      for (let dj = -1; dj <= 1; dj++)
        for (let di = -1; di <= 1; di++) {
          const ii = ci + di, jj = cj + dj;
          if (ii < 0 || jj < 0 || ii >= gcells || jj >= gcells) continue;
          const k = jj * gcells + ii;
          const sx = ii + seedX[k], sy = jj + seedY[k];
          const d = (sx - gx) ** 2 + (sy - gy) ** 2;
          if (d < best) {
            best = d;
            bx = sx;
            by = sy;
            ba = seedA[k];
          }
        }
      const ux = (gx - bx) * g, uy = (gy - by) * g;
      const ca = Math.cos(ba), sa = Math.sin(ba);
      const u = Math.abs(ux * ca + uy * sa), v = Math.abs(-ux * sa + uy * ca);
      const armW = 0.18 * g;
      const arms = Math.exp(-((Math.min(u, v) / armW) ** 2)) * Math.exp(-((Math.max(u, v) / (0.75 * g)) ** 2));
      const lam = rp.armSpacingMm * (1 - 1.5 * (c - p.c0WtPct) / p.c0WtPct);
      const sec = 0.5 + 0.5 * Math.cos((2 * Math.PI * Math.max(u, v)) / Math.max(0.3, lam));
      const side = Math.exp(-((Math.min(u, v) / (0.45 * g)) ** 2)) * sec;
      tEq = 0.15 + 0.55 * arms + 0.3 * side + 0.25 * fine;
    }
    // Chill zone: fine, uniform grains.
    const tChill = 0.5 + 0.9 * fine;
    let t = wEq * tEq + (1 - wEq) * tCol;
    t = wChill * tChill + (1 - wChill) * t;

    const dark = clamp01(0.5 + (phi - t) / 0.2);
    const gxm = (x + R) / gs, gym = (y + R) / gs;
    const e = bilinear(etch, gn, gn, gxm, gym);
    const o = bilinear(offs, gn, gn, gxm, gym);
    const gm = bilinear(gain, gn, gn, gxm, gym);
    const mid = (rp.lightLevel + rp.darkLevel) / 2;
    // Etch depth scales contrast around the mid level; offset and gain are illumination.
    let v = mid + e * ((rp.lightLevel - dark * (rp.lightLevel - rp.darkLevel)) - mid);
    v = gm * v + o + wn;
    // Pores: voids etch black with a soft edge; the rim has a thin dark bevel.
    if (x * x + y * y < poreReach * poreReach) for (const pore of p.pores) {
      const d = Math.hypot(x - pore.xMm, y - pore.yMm);
      if (d < pore.radiusMm + rp.mmPerPx) v = v * smooth(pore.radiusMm - rp.mmPerPx, pore.radiusMm + rp.mmPerPx, d) + 15 * (1 - smooth(pore.radiusMm - rp.mmPerPx, pore.radiusMm + rp.mmPerPx, d));
    }
    const edge = rp.rPx - rpx;
    if (edge < rimWidthPx) v = v * 0.55 + rp.background * 0.45;
    return v;
  };

  // A camera pixel integrates the steel under it: with supersampling k, each pixel is the mean of k × k samples
  // and the sensor noise is added once (k = 1: one sample at the centre, the original point-sampled render).
  const k = rp.supersample ?? 1;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const idx = py * size + px;
      const wn = white.normal() * rp.pixelNoise;
      let v: number;
      if (k === 1) {
        v = valueAt(px + 0.5, py + 0.5, wn);
        if (Number.isNaN(v)) {
          out[idx] = Math.max(0, Math.min(255, Math.round(rp.background + 0.5 * wn)));
          continue;
        }
      } else {
        let sum = 0;
        for (let j = 0; j < k; j++)
          for (let i = 0; i < k; i++) {
            const u = valueAt(px + (i + 0.5) / k, py + (j + 0.5) / k, 0);
            sum += Number.isNaN(u) ? rp.background : u;
          }
        v = sum / (k * k) + wn;
      }
      out[idx] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
    }
  }
  return out;
}
