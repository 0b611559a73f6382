import Papa from 'papaparse';

export interface ExportPoint {
  label: string;
  xMm: number;
  yMm: number;
  readings: Array<{ replicateNo: number; carbonWtPct: number; analyzer: string | null; operator: string | null; measuredAt: string | null }>;
}

export const EXPORT_COLUMNS = ['label', 'x_mm', 'y_mm', 'replicate', 'carbon_wt_pct', 'analyzer', 'operator', 'measured_at'] as const;

/**
 * One row per replicate (points without readings are left out), in wt.% — the same columns the
 * importer recognises, so an exported file re-imports unchanged. `;` writes decimal commas, as
 * European spreadsheets expect.
 */
export function readingsToCsv(points: readonly ExportPoint[], delimiter: ',' | ';' = ','): string {
  const num = (v: number, digits: number) => {
    const s = String(Number(v.toFixed(digits)));
    return delimiter === ';' ? s.replace('.', ',') : s;
  };
  const rows: string[][] = [];
  for (const p of points) {
    for (const r of [...p.readings].sort((a, b) => a.replicateNo - b.replicateNo)) {
      rows.push([p.label, num(p.xMm, 3), num(p.yMm, 3), String(r.replicateNo), num(r.carbonWtPct, 6), r.analyzer ?? '', r.operator ?? '', r.measuredAt ?? '']);
    }
  }
  return Papa.unparse({ fields: [...EXPORT_COLUMNS], data: rows }, { delimiter, newline: '\r\n' }) + '\r\n';
}
