import { MASK, type FieldGrid } from './types.js';

/**
 * An empty grid of `cellsAcross × cellsAcross` square cells exactly covering the square [−R, R]²;
 * cells whose centre lies outside the circle are masked `outside`.
 */
export function sectionGrid(radiusMm: number, cellsAcross: number): FieldGrid {
  if (!Number.isFinite(radiusMm) || radiusMm <= 0) throw new RangeError(`section radius must be a positive number of mm, got ${radiusMm}`);
  if (!Number.isInteger(cellsAcross) || cellsAcross < 3 || cellsAcross > 2000) {
    throw new RangeError(`grid must have 3…2000 cells across, got ${cellsAcross}`);
  }
  const step = (2 * radiusMm) / cellsAcross;
  const x0 = -radiusMm + step / 2;
  return emptyGrid(cellsAcross, cellsAcross, x0, x0, step, radiusMm);
}

/**
 * A lattice of cell centres at integer multiples of `strideMm` (one centre on the billet axis), wide enough
 * to hold every centre inside the circle. This is the patch-centre lattice of the predicted map.
 */
export function strideGrid(radiusMm: number, strideMm: number): FieldGrid {
  if (!Number.isFinite(radiusMm) || radiusMm <= 0) throw new RangeError(`section radius must be a positive number of mm, got ${radiusMm}`);
  if (!Number.isFinite(strideMm) || strideMm <= 0) throw new RangeError(`stride must be a positive number of mm, got ${strideMm}`);
  const k = Math.floor(radiusMm / strideMm + 1e-9);
  const n = 2 * k + 1;
  if (n > 2001) throw new RangeError(`stride ${strideMm} mm is too fine for a ${2 * radiusMm} mm section (${n}×${n} patches); use at least ${((2 * radiusMm) / 2000).toFixed(2)} mm`);
  return emptyGrid(n, n, -k * strideMm, -k * strideMm, strideMm, radiusMm);
}

function emptyGrid(nx: number, ny: number, x0Mm: number, y0Mm: number, stepMm: number, radiusMm: number): FieldGrid {
  const values = new Float64Array(nx * ny).fill(Number.NaN);
  const mask = new Uint8Array(nx * ny);
  const r2 = radiusMm * radiusMm * (1 + 1e-12);
  for (let j = 0; j < ny; j++) {
    const y = y0Mm + j * stepMm;
    for (let i = 0; i < nx; i++) {
      const x = x0Mm + i * stepMm;
      if (x * x + y * y > r2) mask[j * nx + i] = MASK.outside;
    }
  }
  return { nx, ny, x0Mm, y0Mm, stepMm, radiusMm, values, sd: null, mask };
}

export function cellCentre(g: FieldGrid, index: number): { xMm: number; yMm: number } {
  const i = index % g.nx;
  const j = (index - i) / g.nx;
  return { xMm: g.x0Mm + i * g.stepMm, yMm: g.y0Mm + j * g.stepMm };
}

/** Fills every unmasked cell with f(x, y). */
export function fillGrid(g: FieldGrid, f: (xMm: number, yMm: number) => number): FieldGrid {
  for (let j = 0; j < g.ny; j++) {
    const y = g.y0Mm + j * g.stepMm;
    for (let i = 0; i < g.nx; i++) {
      const k = j * g.nx + i;
      if (g.mask[k] !== MASK.valid) continue;
      g.values[k] = f(g.x0Mm + i * g.stepMm, y);
    }
  }
  return g;
}

/**
 * Value at (x, y) in mm: bilinear between the four surrounding cell centres, using only the valid ones
 * (weights renormalised), so masked cells never leak a guessed value. NaN when the nearest cell is not
 * valid or the point is outside the lattice by more than half a cell.
 */
export function sampleGrid(g: FieldGrid, xMm: number, yMm: number, which: 'values' | 'sd' = 'values', rimEdge = false): number {
  const arr = which === 'sd' ? g.sd : g.values;
  if (!arr) return Number.NaN;
  const fx = (xMm - g.x0Mm) / g.stepMm;
  const fy = (yMm - g.y0Mm) / g.stepMm;
  const ni = Math.round(fx);
  const nj = Math.round(fy);
  const nearest = ni < 0 || nj < 0 || ni >= g.nx || nj >= g.ny ? MASK.outside : g.mask[nj * g.nx + ni];
  // rimEdge: a pixel inside the circle whose nearest cell centre falls just outside it takes the valid neighbours
  if (nearest !== MASK.valid && !(rimEdge && nearest === MASK.outside && xMm * xMm + yMm * yMm <= g.radiusMm * g.radiusMm)) return Number.NaN;
  const i0 = Math.floor(fx);
  const j0 = Math.floor(fy);
  const tx = fx - i0;
  const ty = fy - j0;
  let sum = 0;
  let wsum = 0;
  for (let dj = 0; dj <= 1; dj++) {
    const j = j0 + dj;
    if (j < 0 || j >= g.ny) continue;
    const wy = dj ? ty : 1 - ty;
    for (let di = 0; di <= 1; di++) {
      const i = i0 + di;
      if (i < 0 || i >= g.nx) continue;
      const k = j * g.nx + i;
      if (g.mask[k] !== MASK.valid) continue;
      const v = arr[k];
      if (!Number.isFinite(v)) continue;
      const w = (di ? tx : 1 - tx) * wy;
      sum += w * v;
      wsum += w;
    }
  }
  if (wsum > 1e-12) return sum / wsum;
  return nearest === MASK.valid ? arr[nj * g.nx + ni] : Number.NaN;
}

/** A copy of the grid's geometry and mask with new values (e.g. a difference of two layers). */
export function withValues(g: FieldGrid, values: Float64Array, sd: Float64Array | null = null): FieldGrid {
  return { ...g, values, sd, mask: g.mask.slice() };
}

/** Valid cell values, in lattice order. */
export function validValues(g: FieldGrid): number[] {
  const out: number[] = [];
  for (let k = 0; k < g.values.length; k++) if (g.mask[k] === MASK.valid && Number.isFinite(g.values[k])) out.push(g.values[k]);
  return out;
}

/** Plain-JSON form (for the API and stored predicted maps): NaN becomes null. */
export interface GridJson {
  nx: number;
  ny: number;
  x0Mm: number;
  y0Mm: number;
  stepMm: number;
  radiusMm: number;
  values: (number | null)[];
  sd: (number | null)[] | null;
  mask: number[];
}

export function gridToJson(g: FieldGrid, digits = 5): GridJson {
  const f = (v: number) => (Number.isFinite(v) ? Number(v.toFixed(digits)) : null);
  return {
    nx: g.nx,
    ny: g.ny,
    x0Mm: g.x0Mm,
    y0Mm: g.y0Mm,
    stepMm: g.stepMm,
    radiusMm: g.radiusMm,
    values: Array.from(g.values, f),
    sd: g.sd ? Array.from(g.sd, f) : null,
    mask: Array.from(g.mask),
  };
}

export function gridFromJson(j: GridJson): FieldGrid {
  const n = j.nx * j.ny;
  if (j.values.length !== n || j.mask.length !== n || (j.sd && j.sd.length !== n)) throw new RangeError('stored grid is inconsistent (array lengths differ from nx·ny)');
  return {
    nx: j.nx,
    ny: j.ny,
    x0Mm: j.x0Mm,
    y0Mm: j.y0Mm,
    stepMm: j.stepMm,
    radiusMm: j.radiusMm,
    values: Float64Array.from(j.values, (v) => (v === null ? Number.NaN : v)),
    sd: j.sd ? Float64Array.from(j.sd, (v) => (v === null ? Number.NaN : v)) : null,
    mask: Uint8Array.from(j.mask),
  };
}
