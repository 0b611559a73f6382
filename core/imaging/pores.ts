import sharp from 'sharp';
import type { Circle, GreyImage } from './types.js';
import { squareMin } from './rank-filters.js';
import { insideDistance, labelComponents } from './connected-components.js';

/**
 * Pore (void, shrinkage cavity) detector for an etched section: dark, compact blobs relative to the LOCAL etch
 * texture. Voids etch near black, while the texture's dark phase sits at a local floor that illumination, etch
 * depth and carbon move around the section; a fixed grey threshold would either miss pores in a dark region or
 * flag dark phase in a bright one. So:
 *  1. the texture's local floor M: a min filter over ~1.5 mm (the darkest dark phase nearby), then its median over
 *     ~24 mm (a pore cluster is far smaller, so it cannot drag the median down), computed at ~1 px/mm with sharp;
 *  2. the black level b (0.01 % quantile of the section) and the pixel noise σ (MAD of the image minus its 3×3 median);
 *  3. a pore pixel is darker than M − depth·(M − b) and than M − 4σ (seeds), grown to M − growDepth·(M − b) over its
 *     soft edge (hysteresis);
 *  4. 8-connected components, kept when their equivalent diameter is ≥ the stated minimum and they are compact
 *     (area / disc through the farthest pixel; stricter for small blobs, as a cluster of touching voids is not round)
 *     and thick (largest inscribed disc / equivalent radius): dendrite gaps are long and thin, pores are round.
 * The stated minimum diameter is never below 3 px: smaller voids cannot be told from noise at this scale.
 * Plain data in (grey pixels, mm/px, rim circle), plain data out (pores in px and billet-centred mm, and a mask).
 */

export interface PoreDetectorSettings {
  /** Smallest pore reported (equivalent diameter, mm); raised to 3 px when the image is coarser. */
  minDiameterMm: number;
  /** Radius of the min filter that finds the texture's local floor, mm. */
  floorRadiusMm: number;
  /** Side of the median window over the floor, mm (much larger than a pore cluster). */
  windowMm: number;
  /** Seed threshold: the fraction of the way from the local floor down to the black level. */
  depth: number;
  /** Growing threshold over the pore's soft edge (smaller than `depth`). */
  growDepth: number;
  /** Seeds must also be this many noise sd below the floor (an image without voids flags nothing). */
  noiseSigmas: number;
  /** Area / area of the disc through the farthest pixel from the centroid. */
  minCompactness: number;
  /** The same for blobs under 3 × the minimum diameter (single voids, which are round). */
  minCompactnessSmall: number;
  /** Radius of the largest disc inside the blob / its equivalent radius: a void is solid, a dendrite gap thin. */
  minThickness: number;
  /** Ring inside the rim left out (the rim's dark bevel and chamfer), mm; at least 3 px. */
  rimMarginMm: number;
}

export const DEFAULT_PORE_SETTINGS: PoreDetectorSettings = {
  minDiameterMm: 1.0,
  floorRadiusMm: 2.5,
  windowMm: 48,
  depth: 0.5,
  growDepth: 0.3,
  noiseSigmas: 2,
  minCompactness: 0.12,
  minCompactnessSmall: 0.3,
  minThickness: 0.4,
  rimMarginMm: 2,
};

export interface DetectedPore {
  /** Centroid, full-resolution pixels. */
  xPx: number;
  yPx: number;
  /** Centroid, billet-centred mm (x right, y down); relative to the image centre when no rim circle is known. */
  xMm: number;
  yMm: number;
  /** Diameter of the disc of the same area, mm. */
  diameterMm: number;
  areaMm2: number;
  areaPx: number;
  compactness: number;
  /** Largest inscribed radius / equivalent radius. */
  thickness: number;
}

export interface PoreDetection {
  width: number;
  height: number;
  mmPerPx: number;
  /** The stated minimum equivalent diameter actually applied (mm). */
  minDiameterMm: number;
  settings: PoreDetectorSettings;
  /** Largest first. */
  pores: DetectedPore[];
  /** 1 on pore pixels, 0 elsewhere; `width × height`. */
  mask: Uint8Array;
  /** Pore pixels / section pixels searched. */
  areaFraction: number;
  /** The black level and pixel noise the thresholds used (grey levels), for the record. */
  blackLevel: number;
  noiseSd: number;
}

export interface PoreDetectionInput {
  image: GreyImage;
  mmPerPx: number;
  /** The rim (px): only the disc inside it (minus the margin) is searched, and mm are taken from its centre. */
  circle: Circle | null;
  settings?: Partial<PoreDetectorSettings>;
  signal?: AbortSignal;
}

/** The minimum pore diameter a detection at this scale can state (mm). */
export function effectiveMinDiameterMm(mmPerPx: number, minDiameterMm = DEFAULT_PORE_SETTINGS.minDiameterMm): number {
  return Math.max(minDiameterMm, 3 * mmPerPx);
}

function quantileOfHistogram(hist: Float64Array, total: number, q: number): number {
  const target = q * total;
  let acc = 0;
  for (let v = 0; v < hist.length; v++) {
    acc += hist[v];
    if (acc >= target) return v;
  }
  return hist.length - 1;
}

async function median(data: Uint8Array, width: number, height: number, size: number): Promise<Uint8Array> {
  const buf = await sharp(data, { raw: { width, height, channels: 1 } }).median(size).toColourspace('b-w').raw({ depth: 'uchar' }).toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/**
 * Gives unknown cells the mean of their known 8-neighbours, ring by ring outwards (a frontier, so each cell is
 * visited a few times only), for `rings` rings; cells farther out take `fallback` (no window reaches them).
 */
function fillFromNeighbours(v: Uint8Array, known: Uint8Array, w: number, h: number, rings: number, fallback: number): void {
  let frontier: number[] = [];
  const queued = new Uint8Array(v.length);
  const enqueueAround = (k: number, into: number[]) => {
    const x = k % w, y = (k - x) / w;
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx, yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
        const q = yy * w + xx;
        if (!known[q] && !queued[q]) (queued[q] = 1), into.push(q);
      }
  };
  for (let k = 0; k < v.length; k++) if (known[k]) enqueueAround(k, frontier);
  for (let ring = 0; ring < rings && frontier.length; ring++) {
    const vals = frontier.map((k) => {
      const x = k % w, y = (k - x) / w;
      let s = 0, n = 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx, yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h || !known[yy * w + xx]) continue;
          s += v[yy * w + xx];
          n++;
        }
      return Math.round(s / n);
    });
    frontier.forEach((k, i) => ((v[k] = vals[i]), (known[k] = 1)));
    const next: number[] = [];
    for (const k of frontier) enqueueAround(k, next);
    frontier = next;
  }
  for (let k = 0; k < v.length; k++) if (!known[k]) v[k] = fallback;
}

export async function detectPores(input: PoreDetectionInput): Promise<PoreDetection> {
  const s: PoreDetectorSettings = { ...DEFAULT_PORE_SETTINGS, ...input.settings };
  const { width: W, height: H, data } = input.image;
  const mmPerPx = input.mmPerPx;
  if (!(mmPerPx > 0) || !Number.isFinite(mmPerPx)) throw new RangeError(`pore detection needs a positive mm/px, got ${mmPerPx}`);
  if (data.length !== W * H) throw new RangeError(`image has ${data.length} pixels, expected ${W}×${H}`);
  const signal = input.signal;
  const minDiameterMm = effectiveMinDiameterMm(mmPerPx, s.minDiameterMm);

  // The searched region: the disc inside the rim minus its margin (whole image without a circle).
  const circle = input.circle;
  const margin = Math.max(3, s.rimMarginMm / mmPerPx);
  const inside = new Uint8Array(W * H);
  if (circle) {
    const r2 = Math.max(0, circle.r - margin) ** 2;
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if ((x - circle.cx) ** 2 + (y - circle.cy) ** 2 <= r2) inside[y * W + x] = 1;
  } else inside.fill(1);

  // Black level and pixel noise over the searched region.
  const hist = new Float64Array(256);
  let nInside = 0;
  for (let k = 0; k < data.length; k++) if (inside[k]) (hist[data[k]]++, nInside++);
  if (nInside === 0) throw new RangeError('pore detection: the rim circle leaves no pixels to search');
  const blackLevel = quantileOfHistogram(hist, nInside, 1e-4);
  const med3 = await median(data, W, H, 3);
  signal?.throwIfAborted();
  const dev = new Float64Array(256);
  for (let k = 0; k < data.length; k++) if (inside[k]) dev[Math.abs(data[k] - med3[k])]++;
  const noiseSd = Math.max(1, 1.4826 * quantileOfHistogram(dev, nInside, 0.5));

  // Local floor of the texture: min filter, block-averaged over the searched pixels to ~1 px/mm (cells outside the
  // disc take their nearest searched neighbours' value, so the rim's bevel and the background never enter it),
  // median over the window, read back bilinearly.
  const floor = squareMin(data, W, H, Math.max(1, Math.round(s.floorRadiusMm / mmPerPx)));
  signal?.throwIfAborted();
  const f = Math.max(1, Math.round(1 / mmPerPx));
  const lw = Math.ceil(W / f), lh = Math.ceil(H / f);
  const sum = new Float64Array(lw * lh), cnt = new Float64Array(lw * lh);
  for (let y = 0; y < H; y++) {
    const ly = Math.floor(y / f);
    for (let x = 0; x < W; x++) {
      const k = y * W + x;
      if (!inside[k]) continue;
      const lk = ly * lw + Math.floor(x / f);
      sum[lk] += floor[k];
      cnt[lk]++;
    }
  }
  const low = new Uint8Array(lw * lh);
  const known = new Uint8Array(lw * lh);
  for (let k = 0; k < low.length; k++) if (cnt[k]) (low[k] = Math.round(sum[k] / cnt[k]), (known[k] = 1));
  let win = Math.round(s.windowMm / (f * mmPerPx));
  win = Math.max(3, Math.min(win, Math.min(lw, lh) - 1));
  if (win % 2 === 0) win--;
  const fh = new Float64Array(256);
  for (let k = 0; k < floor.length; k++) if (inside[k]) fh[floor[k]]++;
  fillFromNeighbours(low, known, lw, lh, Math.ceil(win / 2) + 1, quantileOfHistogram(fh, nInside, 0.5));
  const lowFloor = win >= 3 ? await median(low, lw, lh, win) : low;
  signal?.throwIfAborted();
  const floorAt = (x: number, y: number): number => {
    const gx = Math.min(lw - 1, Math.max(0, (x + 0.5) / f - 0.5)), gy = Math.min(lh - 1, Math.max(0, (y + 0.5) / f - 0.5));
    const i = Math.min(lw - 2, Math.floor(gx)), j = Math.min(lh - 2, Math.floor(gy));
    if (lw < 2 || lh < 2) return lowFloor[0];
    const tx = gx - i, ty = gy - j;
    const a = lowFloor[j * lw + i], b = lowFloor[j * lw + i + 1], c = lowFloor[(j + 1) * lw + i], d = lowFloor[(j + 1) * lw + i + 1];
    return (a * (1 - tx) + b * tx) * (1 - ty) + (c * (1 - tx) + d * tx) * ty;
  };

  // Hysteresis: candidate pixels (grow threshold), components kept only when they hold a seed.
  const cand = new Uint8Array(W * H);
  const seed = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const k = y * W + x;
      if (!inside[k]) continue;
      const m = floorAt(x, y);
      const v = data[k];
      const hi = Math.min(m - s.depth * (m - blackLevel), m - s.noiseSigmas * noiseSd);
      if (v > Math.max(hi, m - s.growDepth * (m - blackLevel))) continue;
      cand[k] = 1;
      if (v <= hi) seed[k] = 1;
    }
  }
  signal?.throwIfAborted();
  const { labels, components } = labelComponents(cand, W, H);
  const hasSeed = new Uint8Array(components.length + 1);
  for (let k = 0; k < labels.length; k++) if (labels[k] && seed[k]) hasSeed[labels[k]] = 1;
  const dist = insideDistance(cand, W, H);
  const thick = new Float32Array(components.length + 1);
  for (let k = 0; k < labels.length; k++) if (labels[k] && dist[k] > thick[labels[k]]) thick[labels[k]] = dist[k];
  const keep = new Uint8Array(components.length + 1);
  const pores: DetectedPore[] = [];
  const minAreaPx = (Math.PI / 4) * (minDiameterMm / mmPerPx) ** 2;
  const ox = circle ? circle.cx : W / 2, oy = circle ? circle.cy : H / 2;
  for (const c of components) {
    if (!hasSeed[c.label] || c.areaPx < minAreaPx) continue;
    const compactness = c.areaPx / (Math.PI * (c.maxRadiusPx + 0.5) ** 2);
    const eqRadiusPx = Math.sqrt(c.areaPx / Math.PI);
    // A small blob must be round; a big one may be touching voids (a cluster), so only its thickness is asked.
    const small = 2 * eqRadiusPx * mmPerPx < 3 * minDiameterMm;
    if (compactness < (small ? s.minCompactnessSmall : s.minCompactness) || thick[c.label] < s.minThickness * eqRadiusPx) continue;
    keep[c.label] = 1;
    const areaMm2 = c.areaPx * mmPerPx * mmPerPx;
    // mm from the circle centre exactly as calibration's pxToMm reads a pixel index.
    pores.push({
      xPx: c.cxPx,
      yPx: c.cyPx,
      xMm: (c.cxPx - ox) * mmPerPx,
      yMm: (c.cyPx - oy) * mmPerPx,
      diameterMm: 2 * Math.sqrt(areaMm2 / Math.PI),
      areaMm2,
      areaPx: c.areaPx,
      compactness,
      thickness: thick[c.label] / eqRadiusPx,
    });
  }
  const mask = new Uint8Array(W * H);
  let porePx = 0;
  for (let k = 0; k < labels.length; k++) if (keep[labels[k]]) (mask[k] = 1, porePx++);
  pores.sort((a, b) => b.areaPx - a.areaPx);
  return { width: W, height: H, mmPerPx, minDiameterMm, settings: s, pores, mask, areaFraction: porePx / nInside, blackLevel, noiseSd };
}
