import type { Circle, GreyImage, Point2 } from './types.js';
import { createForkingRng } from '../runtime/random.js';

/** Circle through three points; null when they are (nearly) collinear. */
export function circleFromThreePoints(p1: Point2, p2: Point2, p3: Point2): Circle | null {
  const ax = p2.x - p1.x, ay = p2.y - p1.y;
  const bx = p3.x - p1.x, by = p3.y - p1.y;
  const d = 2 * (ax * by - ay * bx);
  const scale = Math.max(Math.hypot(ax, ay), Math.hypot(bx, by)) ** 2;
  if (scale === 0 || Math.abs(d) < 1e-9 * scale) return null;
  const a2 = ax * ax + ay * ay, b2 = bx * bx + by * by;
  const ux = (by * a2 - ay * b2) / d;
  const uy = (ax * b2 - bx * a2) / d;
  return { cx: p1.x + ux, cy: p1.y + uy, r: Math.hypot(ux, uy) };
}

/**
 * Kåsa algebraic fit: least squares of x² + y² + D·x + E·y + F = 0, in coordinates centred on the
 * point mean for conditioning. Fast and closed-form; biased low on short arcs, hence the geometric refinement.
 */
export function fitCircleKasa(points: readonly Point2[]): Circle | null {
  const n = points.length;
  if (n < 3) return null;
  let mx = 0, my = 0;
  for (const p of points) {
    mx += p.x;
    my += p.y;
  }
  mx /= n;
  my /= n;
  let suu = 0, svv = 0, suv = 0, suuu = 0, svvv = 0, suvv = 0, svuu = 0;
  for (const p of points) {
    const u = p.x - mx, v = p.y - my;
    suu += u * u;
    svv += v * v;
    suv += u * v;
    suuu += u * u * u;
    svvv += v * v * v;
    suvv += u * v * v;
    svuu += v * u * u;
  }
  // Normal equations of the centred problem (Bullock's form).
  const det = suu * svv - suv * suv;
  if (Math.abs(det) < 1e-12) return null;
  const r1 = 0.5 * (suuu + suvv), r2 = 0.5 * (svvv + svuu);
  const uc = (r1 * svv - r2 * suv) / det;
  const vc = (r2 * suu - r1 * suv) / det;
  const r = Math.sqrt(uc * uc + vc * vc + (suu + svv) / n);
  return { cx: uc + mx, cy: vc + my, r };
}

/** Gauss–Newton on the geometric residuals |p − c| − r (a few iterations from a good start converge). */
export function refineCircleGeometric(points: readonly Point2[], start: Circle, iterations = 20): Circle {
  let { cx, cy, r } = start;
  for (let it = 0; it < iterations; it++) {
    // J^T J (3×3) and J^T res
    let a00 = 0, a01 = 0, a02 = 0, a11 = 0, a12 = 0, a22 = 0, g0 = 0, g1 = 0, g2 = 0;
    for (const p of points) {
      const dx = p.x - cx, dy = p.y - cy;
      const d = Math.hypot(dx, dy) || 1e-12;
      const res = d - r;
      const j0 = -dx / d, j1 = -dy / d, j2 = -1;
      a00 += j0 * j0; a01 += j0 * j1; a02 += j0 * j2; a11 += j1 * j1; a12 += j1 * j2; a22 += j2 * j2;
      g0 += j0 * res; g1 += j1 * res; g2 += j2 * res;
    }
    const step = solve3([a00, a01, a02, a01, a11, a12, a02, a12, a22], [-g0, -g1, -g2]);
    if (!step) break;
    cx += step[0];
    cy += step[1];
    r += step[2];
    if (Math.abs(step[0]) + Math.abs(step[1]) + Math.abs(step[2]) < 1e-9 * Math.max(1, r)) break;
  }
  return { cx, cy, r: Math.abs(r) };
}

function solve3(A: number[], b: number[]): [number, number, number] | null {
  const [a, b1, c, d, e, f, g, h, i] = A;
  const det = a * (e * i - f * h) - b1 * (d * i - f * g) + c * (d * h - e * g);
  if (Math.abs(det) < 1e-15) return null;
  const x = (b[0] * (e * i - f * h) - b1 * (b[1] * i - f * b[2]) + c * (b[1] * h - e * b[2])) / det;
  const y = (a * (b[1] * i - f * b[2]) - b[0] * (d * i - f * g) + c * (d * b[2] - b[1] * g)) / det;
  const z = (a * (e * b[2] - b[1] * h) - b1 * (d * b[2] - b[1] * g) + b[0] * (d * h - e * g)) / det;
  return [x, y, z];
}

export interface RansacOptions {
  iterations?: number;
  /** A point is an inlier when | |p − c| − r | ≤ this many pixels. */
  inlierTolerance?: number;
  seed?: number;
}

export interface CircleFit {
  circle: Circle;
  inliers: number;
  total: number;
  /** RMS geometric residual of the inliers, in pixels. */
  rmsResidual: number;
}

/**
 * Robust circle fit: RANSAC over 3-point circles (outliers = porosity edges, labels, shadows), then Kåsa on the
 * best consensus set and a geometric Gauss–Newton refinement. Deterministic for a given seed.
 */
export function fitCircleRansac(points: readonly Point2[], opts: RansacOptions = {}): CircleFit | null {
  const n = points.length;
  if (n < 3) return null;
  const iterations = opts.iterations ?? 400;
  const tol = opts.inlierTolerance ?? 2;
  const rng = createForkingRng(opts.seed ?? 1);
  let best: Circle | null = null;
  let bestCount = -1;
  for (let it = 0; it < iterations; it++) {
    const i = rng.int(n), j = rng.int(n), k = rng.int(n);
    if (i === j || j === k || i === k) continue;
    const c = circleFromThreePoints(points[i], points[j], points[k]);
    if (!c || !Number.isFinite(c.r)) continue;
    let count = 0;
    for (const p of points) if (Math.abs(Math.hypot(p.x - c.cx, p.y - c.cy) - c.r) <= tol) count++;
    if (count > bestCount) {
      bestCount = count;
      best = c;
    }
  }
  if (!best) return null;
  let circle = best;
  let inl: Point2[] = [];
  // Two rounds: refit on inliers, recompute inliers with the better circle.
  for (let round = 0; round < 2; round++) {
    inl = points.filter((p) => Math.abs(Math.hypot(p.x - circle.cx, p.y - circle.cy) - circle.r) <= tol * (round === 0 ? 1.5 : 1));
    if (inl.length < 3) break;
    const k = fitCircleKasa(inl);
    if (k) circle = refineCircleGeometric(inl, k);
  }
  let ss = 0;
  for (const p of inl) ss += (Math.hypot(p.x - circle.cx, p.y - circle.cy) - circle.r) ** 2;
  return { circle, inliers: inl.length, total: n, rmsResidual: inl.length ? Math.sqrt(ss / inl.length) : NaN };
}

/** Otsu's threshold of an 8-bit histogram: the split maximising between-class variance. */
export function otsuThreshold(data: Uint8Array): number {
  const h = new Float64Array(256);
  for (let i = 0; i < data.length; i++) h[data[i]]++;
  let sumAll = 0;
  for (let k = 0; k < 256; k++) sumAll += k * h[k];
  let wB = 0, sumB = 0, best = 0, bestT = 127;
  for (let t = 0; t < 256; t++) {
    wB += h[t];
    if (wB === 0) continue;
    const wF = data.length - wB;
    if (wF === 0) break;
    sumB += t * h[t];
    const mB = sumB / wB, mF = (sumAll - sumB) / wF;
    const between = wB * wF * (mB - mF) ** 2;
    if (between > best) {
      best = between;
      bestT = t;
    }
  }
  return bestT;
}

export interface DetectedCircle extends CircleFit {
  threshold: number;
  /** True when the section is darker than the background. */
  sectionDarker: boolean;
}

/**
 * Finds the section's circular outline on a (downsampled) grey image: Otsu threshold, background polarity from
 * the image border, largest foreground component, its outermost pixel along 720 rays from the component's
 * centroid (rim candidates; interior pores never qualify), then the robust fit. Returns null if nothing
 * circle-like is found. Coordinates are in the given image's pixels.
 */
export function detectCircle(img: GreyImage, opts: RansacOptions = {}): DetectedCircle | null {
  const { width: w, height: h, data } = img;
  // Light smoothing (3×3 box) so etched texture does not fragment the mask.
  const sm = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0, c = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          s += data[yy * w + xx];
          c++;
        }
      }
      sm[y * w + x] = Math.round(s / c);
    }
  const t = otsuThreshold(sm);
  let borderAbove = 0, borderCount = 0;
  for (let x = 0; x < w; x++) {
    borderAbove += (sm[x] > t ? 1 : 0) + (sm[(h - 1) * w + x] > t ? 1 : 0);
    borderCount += 2;
  }
  for (let y = 0; y < h; y++) {
    borderAbove += (sm[y * w] > t ? 1 : 0) + (sm[y * w + w - 1] > t ? 1 : 0);
    borderCount += 2;
  }
  const backgroundBright = borderAbove > borderCount / 2;
  const fg = new Uint8Array(w * h);
  for (let i = 0; i < fg.length; i++) fg[i] = (sm[i] > t) !== backgroundBright ? 1 : 0;
  // Largest 4-connected foreground component (iterative flood fill).
  const labels = new Int32Array(w * h);
  let bestLabel = 0, bestSize = 0, label = 0;
  const stack = new Int32Array(w * h);
  for (let s = 0; s < fg.length; s++) {
    if (!fg[s] || labels[s]) continue;
    label++;
    let top = 0, size = 0;
    stack[top++] = s;
    labels[s] = label;
    while (top) {
      const p = stack[--top];
      size++;
      const x = p % w, y = (p - x) / w;
      if (x > 0 && fg[p - 1] && !labels[p - 1]) { labels[p - 1] = label; stack[top++] = p - 1; }
      if (x < w - 1 && fg[p + 1] && !labels[p + 1]) { labels[p + 1] = label; stack[top++] = p + 1; }
      if (y > 0 && fg[p - w] && !labels[p - w]) { labels[p - w] = label; stack[top++] = p - w; }
      if (y < h - 1 && fg[p + w] && !labels[p + w]) { labels[p + w] = label; stack[top++] = p + w; }
    }
    if (size > bestSize) {
      bestSize = size;
      bestLabel = label;
    }
  }
  if (bestSize < 50) return null;
  let mx = 0, my = 0;
  for (let i = 0; i < labels.length; i++)
    if (labels[i] === bestLabel) {
      mx += i % w;
      my += Math.floor(i / w);
    }
  mx /= bestSize;
  my /= bestSize;
  const rays = 720;
  const rim: Point2[] = [];
  const maxR = Math.hypot(w, h);
  for (let k = 0; k < rays; k++) {
    const a = (2 * Math.PI * k) / rays;
    const ca = Math.cos(a), sa = Math.sin(a);
    let last = -1;
    for (let r = 0; r < maxR; r += 0.5) {
      const x = Math.round(mx + r * ca), y = Math.round(my + r * sa);
      if (x < 0 || y < 0 || x >= w || y >= h) break;
      if (labels[y * w + x] === bestLabel) last = r;
    }
    // A rim point touching the image border is the frame, not the section's edge.
    if (last > 0) {
      const x = mx + (last + 0.5) * ca, y = my + (last + 0.5) * sa;
      if (x > 1 && y > 1 && x < w - 2 && y < h - 2) rim.push({ x, y });
    }
  }
  const fit = fitCircleRansac(rim, { iterations: opts.iterations ?? 500, inlierTolerance: opts.inlierTolerance ?? Math.max(1.5, Math.min(w, h) / 300), seed: opts.seed ?? 7 });
  if (!fit || fit.inliers < rays / 4) return null;
  return { ...fit, threshold: t, sectionDarker: backgroundBright };
}

/**
 * Below this share of the rim candidates on the fitted circle the automatic rim is not taken. Measured with
 * detectCircle on synthetic sections: round ones (seeds 1–40 at 400 px Ø600 and 800 px Ø150, seeds 1–10 stirring at
 * 300 px, low-carbon at 600 px, Ø200 at 400 px, seeds 1, 3, 7, 11, 23 at 600, 1200 and 2000 px; 125 sections) put
 * 0.506–0.994 of their rim points on the circle (median 0.93; the lowest, 0.506–0.572, Ø150 at 800 px seeds 11, 15,
 * 30, 40, radius within 0.64 % of the true rim), except seed 33 Ø150 at 800 px: 0.278 on a circle 2.3 % short of
 * its true rim, a wrong fit rightly refused. Sections cut by the frame (a sixth or a third of the disc outside the
 * image, the circle right) 0.819–0.941 of the points found. The same sections squeezed as an oblique photo is (1200
 * px wide, sharp resize fit 'fill') put 0.286–0.358 there at 1000 px high (the circle then fits one side of the
 * ellipse and reaches far past the image), 0.375–0.415 at 1100; milder squeezes overlap round sections (0.48–0.52 at
 * 1150, 0.65–0.73 at 1180: a 4 % and a 1.7 % squeeze, the scale off by at most as much) and pass. A section rotated
 * onto a white frame: 0.257. 0.45 lies between the worst round section's right fit and an 8 % squeeze.
 */
export const RIM_MIN_ON_CIRCLE = 0.45;
/**
 * Above this share of the fitted circle's circumference outside the image the automatic rim is not taken: it would
 * rest on less than half the rim. Sections cut by the frame with a right circle had 0.23–0.39 of it outside; the
 * squeezed ones at 1000 px high 0.37–0.55 (seed 7: 0.53).
 */
export const RIM_MAX_OUTSIDE = 0.5;

/** Why an automatic rim fit is not taken as the section's calibration (null: it is). */
export interface RimFitRefusal {
  /** Rim candidates on the fitted circle, of those found. */
  inliers: number;
  total: number;
  /** inliers / total. */
  onCircle: number;
  /** Share of the circle's circumference that lies outside the image. */
  outside: number;
}

/**
 * Judges an automatic rim fit: refused when too few of the rim candidates lie on it (the outline is no circle in the
 * image: an oblique or squeezed photo, a frame edge) or when most of the circle lies outside the image. `circle`,
 * `width` and `height` in the same pixels.
 */
export function judgeRimFit(fit: { inliers: number; total: number }, circle: Circle, width: number, height: number): RimFitRefusal | null {
  const onCircle = fit.total > 0 ? fit.inliers / fit.total : 0;
  const steps = 720;
  let out = 0;
  for (let k = 0; k < steps; k++) {
    const a = (2 * Math.PI * k) / steps;
    const x = circle.cx + circle.r * Math.cos(a);
    const y = circle.cy + circle.r * Math.sin(a);
    if (x < -0.5 || y < -0.5 || x > width - 0.5 || y > height - 0.5) out++;
  }
  const outside = out / steps;
  return onCircle < RIM_MIN_ON_CIRCLE || outside > RIM_MAX_OUTSIDE ? { inliers: fit.inliers, total: fit.total, onCircle, outside } : null;
}
