import Papa from 'papaparse';
import { MASK, MASK_REASONS, type FieldGrid } from './types.js';
import { CELL, indexCellStates, type C0Source } from './indices.js';
import type { CoverageRegion } from './coverage.js';

const REASON_BY_CODE = new Map<number, string>([[MASK.valid, ''], ...MASK_REASONS.map((r) => [MASK[r], r] as [number, string])]);

/**
 * A C0 source in the file's own words: a spreadsheet cannot look the code up, and "section mean" alone does not say
 * of which field (a smoothed predicted map's own mean is not the reference C0 a PDF of it may take).
 */
export const C0_SOURCE_CSV: Record<C0Source, string> = {
  bulk: 'ladle/bulk carbon entered for the heat',
  'section-mean': "this map's own area mean over the cells with in_indices = yes",
  'measured-area-mean': "measured map's area mean (a report's reference C0)",
  'lattice-mean': "predicted area mean of the model's raw patch lattice (a report's reference C0)",
};

export interface GridCsvOptions {
  /** The value column's name (default carbon_wt_pct). */
  valueName?: string;
  /** A carbon layer's C0: adds c_over_c0 and, on every row, the C0 and its source, so the ratio can be checked. */
  c0?: { wtPct: number; source: C0Source };
  /**
   * The name of the column the grid's per-cell sd is written to, saying what that sd is (a predicted map's spread
   * over the TTA views, or the smoothing's posterior sd); absent: the sd is not written.
   */
  sdName?: string;
  /** Another per-cell uncertainty column over the same cells (the model's calibrated interval half-width), by name. */
  interval?: { name: string; values: Float64Array };
  /** The measured map's points (or their region): cells beyond it are extrapolated and left out of every index. */
  coveredBy?: CoverageRegion | readonly { xMm: number; yMm: number }[] | null;
}

/**
 * The grid as CSV, one row per cell centre inside the section (x right, y down, mm from the centre). Masked cells
 * are kept with empty values and the reason, so a spreadsheet shows where nothing was guessed; extrapolated cells
 * (beyond the sampling points' hull) keep their drawn value but say `extrapolated` = yes and `in_indices` = no, the
 * same rule the indices are taken by (`indexCellStates`), so no spreadsheet takes them as measured. Plain columns
 * only (no comment lines): README "Map grid CSV" says what each means.
 */
export function gridToCsv(g: FieldGrid, opts: GridCsvOptions = {}): string {
  const name = opts.valueName ?? 'carbon_wt_pct';
  const states = indexCellStates(g, opts.coveredBy ?? null);
  const sd = opts.sdName ? g.sd : null;
  const c0 = opts.c0 ?? null;
  if (c0 && !(Number.isFinite(c0.wtPct) && c0.wtPct > 0)) throw new RangeError(`the C0 of a grid CSV must be a positive number of wt.%, got ${c0.wtPct}`);
  const rows: (string | number)[][] = [];
  for (let j = 0; j < g.ny; j++) {
    for (let i = 0; i < g.nx; i++) {
      const k = j * g.nx + i;
      if (g.mask[k] === MASK.outside) continue;
      const x = g.x0Mm + i * g.stepMm;
      const y = g.y0Mm + j * g.stepMm;
      const v = g.values[k];
      const ok = g.mask[k] === MASK.valid && Number.isFinite(v);
      const row: (string | number)[] = [round(x, 3), round(y, 3), round(Math.hypot(x, y) / g.radiusMm, 4), ok ? round(v, 5) : ''];
      if (c0) row.push(ok ? round(v / c0.wtPct, 5) : '', round(c0.wtPct, 5), C0_SOURCE_CSV[c0.source]);
      if (sd) row.push(ok && Number.isFinite(sd[k]) ? round(sd[k], 5) : '');
      if (opts.interval) row.push(ok && Number.isFinite(opts.interval.values[k]) ? round(opts.interval.values[k], 5) : '');
      row.push(REASON_BY_CODE.get(g.mask[k]) ?? 'quality', states[k] === CELL.extrapolated ? 'yes' : 'no', states[k] === CELL.indexed ? 'yes' : 'no');
      rows.push(row);
    }
  }
  const fields = ['x_mm', 'y_mm', 'r_over_R', name];
  if (c0) fields.push('c_over_c0', 'c0_wt_pct', 'c0_source');
  if (sd) fields.push(opts.sdName!);
  if (opts.interval) fields.push(opts.interval.name);
  fields.push('masked', 'extrapolated', 'in_indices');
  return Papa.unparse({ fields, data: rows }, { newline: '\n' }) + '\n';
}

function round(v: number, d: number): number {
  return Number(v.toFixed(d));
}
