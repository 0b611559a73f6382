/**
 * The part of a section that its sampling points cover. A measured map is a spline through the points,
 * clipped to the circle: between the outermost points and the rim it is extrapolated, so indices (max,
 * min, area fractions) taken there would report carbon no reading supports. This region is where they
 * may be taken: the convex hull of the points, or, when the points lie on one line (a diameter traverse),
 * the disc out to the farthest point.
 */
import { phrase, type Phrase } from '../api/phrase.js';
import { pointsOnOneLine } from './thin-plate-spline.js';
export interface CoverageRegion {
  /** True for a position (mm) inside the covered region (within `tolMm` of it). */
  contains(xMm: number, yMm: number, tolMm: number): boolean;
  /** Printed next to the indices. */
  rule: string;
  /** The rule as a code, printed in the reader's language. */
  rulePhrase: Phrase;
}

type P = { xMm: number; yMm: number };

const cross = (o: P, a: P, b: P) => (a.xMm - o.xMm) * (b.yMm - o.yMm) - (a.yMm - o.yMm) * (b.xMm - o.xMm);

/** Andrew's monotone chain: the hull's vertices counter-clockwise (in x-right, y-up terms), no collinear ones. */
export function convexHull(points: readonly P[]): P[] {
  const ps = [...points].sort((a, b) => a.xMm - b.xMm || a.yMm - b.yMm);
  if (ps.length < 3) return ps;
  const lower: P[] = [];
  for (const p of ps) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: P[] = [];
  for (let i = ps.length - 1; i >= 0; i--) {
    const p = ps[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/**
 * The share of a section of radius R (mm) that the sampling points' convex hull covers: its exact area (shoelace)
 * over πR², so the acceptance rule's covered share does not depend on the grid the map is drawn on. Points on one
 * line by the spline's own test (or fewer than 3) cover no area. Points off the disc are not expected (the layout clips them); the share is
 * capped at 1.
 */
export function hullCoveredFraction(points: readonly P[], radiusMm: number): number {
  // points the spline takes as one line (a traverse computed with cos/sin is off it by 1e-17) cover nothing: the
  // guards that skip the measured map for them read this share
  if (pointsOnOneLine(points)) return 0;
  const hull = convexHull(points);
  if (hull.length < 3) return 0;
  let twice = 0;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i];
    const b = hull[(i + 1) % hull.length];
    twice += a.xMm * b.yMm - b.xMm * a.yMm;
  }
  return Math.min(1, Math.abs(twice) / 2 / (Math.PI * radiusMm * radiusMm));
}

export const COVERAGE_RULE_HULL = 'indices over the convex hull of the sampling points; the area between the outermost points and the rim is extrapolated and left out';
export const COVERAGE_RULE_DISC = 'indices over the disc out to the farthest sampling point (the points lie on one line); the area beyond it is extrapolated and left out';

export function coverageRegion(points: readonly P[]): CoverageRegion {
  const hull = convexHull(points);
  if (hull.length >= 3 && !pointsOnOneLine(points)) {
    return {
      rule: COVERAGE_RULE_HULL,
      rulePhrase: phrase('maps.coverage.hull'),
      // inside a counter-clockwise convex polygon = left of (or on, within tol) every edge
      contains(x, y, tol) {
        for (let i = 0; i < hull.length; i++) {
          const a = hull[i];
          const b = hull[(i + 1) % hull.length];
          const len = Math.hypot(b.xMm - a.xMm, b.yMm - a.yMm);
          if (cross(a, b, { xMm: x, yMm: y }) / len < -tol) return false;
        }
        return true;
      },
    };
  }
  const rMax = Math.max(0, ...points.map((p) => Math.hypot(p.xMm, p.yMm)));
  return { rule: COVERAGE_RULE_DISC, rulePhrase: phrase('maps.coverage.disc'), contains: (x, y, tol) => Math.hypot(x, y) <= rMax + tol };
}
