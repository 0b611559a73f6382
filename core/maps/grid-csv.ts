import Papa from 'papaparse';
import { MASK, MASK_REASONS, type FieldGrid } from './types.js';

const REASON_BY_CODE = new Map<number, string>([[MASK.valid, ''], ...MASK_REASONS.map((r) => [MASK[r], r] as [number, string])]);

/**
 * The grid as CSV, one row per cell centre inside the section (x right, y down, mm from the centre).
 * Masked cells are kept with empty values and the reason, so a spreadsheet shows where nothing was guessed.
 */
export function gridToCsv(g: FieldGrid, opts: { c0WtPct?: number; valueName?: string } = {}): string {
  const name = opts.valueName ?? 'carbon_wt_pct';
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
      if (opts.c0WtPct) row.push(ok ? round(v / opts.c0WtPct, 5) : '');
      if (g.sd) row.push(ok && Number.isFinite(g.sd[k]) ? round(g.sd[k], 5) : '');
      row.push(REASON_BY_CODE.get(g.mask[k]) ?? 'quality');
      rows.push(row);
    }
  }
  const fields = ['x_mm', 'y_mm', 'r_over_R', name];
  if (opts.c0WtPct) fields.push('c_over_c0');
  if (g.sd) fields.push('sd_wt_pct');
  fields.push('masked');
  return Papa.unparse({ fields, data: rows }, { newline: '\n' }) + '\n';
}

function round(v: number, d: number): number {
  return Number(v.toFixed(d));
}
