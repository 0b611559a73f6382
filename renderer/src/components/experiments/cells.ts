/** How the Experiments view prints a cell: as the report does (core/report/experiments/report-input.ts formatCell). */
export function formatCell(v: number | string | null | undefined, digits?: number): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return '—';
  if (digits !== undefined) return v.toFixed(digits);
  if (Number.isInteger(v)) return String(v);
  return Number(v.toPrecision(4)).toString();
}

export function durationText(ms: number): string {
  const s = ms / 1000;
  if (s < 90) return `${s.toFixed(1)} s`;
  if (s < 5400) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(2)} h`;
}
