import { formatNumber, type NumberLang } from '../../lib/locale-number';

/**
 * How the Experiments view prints a cell: as the report does (core/report/experiments/report-input.ts formatCell),
 * in the UI language's notation (0,4463 in Italian).
 */
export function formatCell(v: number | string | null | undefined, digits?: number, lang: NumberLang = 'en'): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return '—';
  if (digits !== undefined) return formatNumber(v, lang, { digits });
  if (Number.isInteger(v)) return String(v);
  return formatNumber(Number(v.toPrecision(4)), lang, { maxDigits: 20 });
}

export function durationText(ms: number, lang: NumberLang = 'en'): string {
  const s = ms / 1000;
  if (s < 90) return `${formatNumber(s, lang, { digits: 1 })} s`;
  if (s < 5400) return `${formatNumber(s / 60, lang, { digits: 1 })} min`;
  return `${formatNumber(s / 3600, lang, { digits: 2 })} h`;
}
