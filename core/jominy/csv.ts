import Papa from 'papaparse';
import { DISTANCES_MM, ELEMENTS, HRC_MAX, HRC_MIN, N_POINTS, arrayToChem, elementValueProblem, isElement, type Element } from './elements.js';
import type { JominySample } from './dataset.js';
import { parseStrictDecimal, type DecimalMark } from '../api/strict-decimal.js';

/**
 * Jominy dataset CSV: one heat per row; columns the 15 elements (wt.%), the 15 hardness values
 * (`J1.5` … `J50`, HRC), optional `heat_id`, `grade`, `grain_size`. Lines starting with `#` are
 * comments. Either every row is good or nothing is returned: errors name the file line.
 */
export interface CsvIssue {
  line: number;
  column?: string;
  message: string;
}

export class JominyCsvError extends Error {
  constructor(readonly issues: CsvIssue[]) {
    super(
      `${issues.length} problem${issues.length === 1 ? '' : 's'} in the Jominy CSV; nothing was imported. ` +
        issues
          .slice(0, 5)
          .map((i) => `line ${i.line}${i.column ? ` (${i.column})` : ''}: ${i.message}`)
          .join('; ') +
        (issues.length > 5 ? `; … and ${issues.length - 5} more` : ''),
    );
    this.name = 'JominyCsvError';
  }
}

export interface ParsedJominyCsv {
  samples: JominySample[];
  /** Not fatal: non-monotone profiles, duplicate heat ids. */
  warnings: CsvIssue[];
  /** Values of `# key: value` comment lines at the top, e.g. `synthetic: …`. */
  meta: Record<string, string>;
}

type ColumnRole = { kind: 'element'; el: Element } | { kind: 'hrc'; point: number } | { kind: 'heat' } | { kind: 'grade' } | { kind: 'grain' };

const MAX_ROWS = 200_000;
/** A rise of more than this from one point to a farther one is flagged (scatter is ~±1 HRC). */
export const MONOTONE_TOLERANCE_HRC = 2;

function classify(raw: string): ColumnRole | { error: string } {
  const h = raw.trim();
  const low = h.toLowerCase();
  if (/ppm/.test(low)) return { error: `column "${h}" is in ppm; give every element in wt.% (ppm ÷ 10 000)` };
  if (['heat', 'heat_id', 'heatid', 'heat id', 'heat no', 'heat_no', 'cast'].includes(low)) return { kind: 'heat' };
  if (['grade', 'steel', 'steel grade', 'steel_grade'].includes(low)) return { kind: 'grade' };
  if (['grain_size', 'grain size', 'grainsize', 'gs', 'astm_gs'].includes(low)) return { kind: 'grain' };
  const elName = h.replace(/\s*(\(|\[)?\s*(wt\.?\s*%|%)\s*(\)|\])?$/i, '').replace(/_wt$/i, '').trim();
  const asEl = ELEMENTS.find((e) => e.toLowerCase() === elName.toLowerCase());
  if (asEl) return { kind: 'element', el: asEl };
  const m = /^(?:j|hrc|h)?[\s_-]*(\d+(?:[.,]\d+)?)\s*(?:mm)?$/i.exec(h);
  if (m) {
    const d = Number(m[1].replace(',', '.'));
    const point = DISTANCES_MM.indexOf(d as (typeof DISTANCES_MM)[number]);
    if (point < 0) return { error: `column "${h}": ${d} mm is not a standard Jominy distance (${DISTANCES_MM.join(', ')})` };
    return { kind: 'hrc', point };
  }
  if (isElement(elName)) return { kind: 'element', el: elName };
  return { error: `unknown column "${h}" (expected ${ELEMENTS.join(', ')}, J1.5 … J50, heat_id, grade, grain_size)` };
}

/**
 * One numeric cell through the one strict parser: "0x37", "0b0", "1e-400", "0." are refused with the
 * reason (Number() read them as 55 HRC or 0). "<0.005" is a detection limit, not a value: reading it as
 * 0.005 (as this once did) would store a guess, so it is refused too.
 */
function parseNumber(cell: string, mark: { decimalMark: DecimalMark; hint: string }): { value: number; reason: string } {
  if (/^\s*</.test(cell)) return { value: NaN, reason: 'is a detection limit, not a value (write the analysed value, or 0 if not analysed)' };
  const r = parseStrictDecimal(cell, { decimalMark: mark.decimalMark });
  if (r.ok) return { value: r.value, reason: '' };
  return { value: NaN, reason: `${r.reason}${/decimal mark/.test(r.reason) ? mark.hint : ''}` };
}

/** The file's one decimal mark: a comma only when the delimiter is not a comma and most numbers use it. */
function fileDecimalMark(rows: string[][], delimiter: string): { decimalMark: DecimalMark; hint: string } {
  if (delimiter === ',') return { decimalMark: '.', hint: ' (a comma-separated file takes decimal points; a decimal comma needs ";" or tab as the delimiter)' };
  let commas = 0, points = 0;
  for (const row of rows) for (const c of row) {
    const t = c.trim();
    if (/^[+-]?\d+,\d/.test(t)) commas++;
    else if (/^[+-]?\d+\.\d/.test(t)) points++;
  }
  return commas > points
    ? { decimalMark: ',', hint: ' (this file uses decimal commas; one file, one mark)' }
    : { decimalMark: '.', hint: ' (this file uses decimal points; one file, one mark)' };
}

export function parseJominyCsv(text: string): ParsedJominyCsv {
  const meta: Record<string, string> = {};
  const srcLines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const kept: string[] = [];
  const lineOf: number[] = [];
  srcLines.forEach((l, i) => {
    const t = l.trim();
    if (t.startsWith('#')) {
      const m = /^#\s*([\w -]+?)\s*:\s*(.*)$/.exec(t);
      if (m && kept.length === 0) meta[m[1].toLowerCase()] = m[2];
      return;
    }
    if (t === '' || /^[,;\t\s]*$/.test(t)) return;
    kept.push(l);
    lineOf.push(i + 1);
  });
  if (kept.length === 0) throw new JominyCsvError([{ line: 1, message: 'the file is empty' }]);
  if (kept.length - 1 > MAX_ROWS) throw new JominyCsvError([{ line: lineOf[MAX_ROWS + 1], message: `more than ${MAX_ROWS} heats; split the file` }]);
  const parsed = Papa.parse<string[]>(kept.join('\n'), { header: false, skipEmptyLines: false, delimitersToGuess: [',', ';', '\t'] });
  const rows = parsed.data;
  if (rows.length !== kept.length) throw new JominyCsvError([{ line: 1, message: 'quoted fields spanning several lines are not supported' }]);

  const issues: CsvIssue[] = [];
  const header = rows[0];
  const mark = fileDecimalMark(rows.slice(1), parsed.meta.delimiter);
  const headerLine = lineOf[0];
  const roles: (ColumnRole | null)[] = [];
  const seen = new Map<string, number>();
  header.forEach((h, ci) => {
    const r = classify(h);
    if ('error' in r) {
      issues.push({ line: headerLine, column: h, message: r.error });
      roles.push(null);
      return;
    }
    const key = r.kind === 'element' ? r.el : r.kind === 'hrc' ? `J${DISTANCES_MM[r.point]}` : r.kind;
    if (seen.has(key)) issues.push({ line: headerLine, column: h, message: `column ${key} appears twice` });
    seen.set(key, ci);
    roles.push(r);
  });
  const missingEl = ELEMENTS.filter((el) => !seen.has(el));
  if (missingEl.length) issues.push({ line: headerLine, message: `missing element column${missingEl.length > 1 ? 's' : ''}: ${missingEl.join(', ')} (give 0 for elements not analysed)` });
  const missingJ = DISTANCES_MM.filter((d) => !seen.has(`J${d}`));
  if (missingJ.length) issues.push({ line: headerLine, message: `missing hardness column${missingJ.length > 1 ? 's' : ''}: ${missingJ.map((d) => `J${d}`).join(', ')}` });
  if (issues.length) throw new JominyCsvError(issues);

  const samples: JominySample[] = [];
  const warnings: CsvIssue[] = [];
  const heats = new Map<string, number>();
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r];
    const line = lineOf[r];
    if (cells.length !== header.length) {
      issues.push({ line, message: `${cells.length} fields, the header has ${header.length}` });
      continue;
    }
    const chem = new Array<number>(ELEMENTS.length).fill(0);
    const hrc = new Array<number>(N_POINTS).fill(NaN);
    let heatId: string | null = null;
    let grade: string | null = null;
    let grainSize: number | null = null;
    const before = issues.length;
    cells.forEach((cell, ci) => {
      const role = roles[ci]!;
      const col = header[ci].trim();
      if (role.kind === 'heat') heatId = cell.trim() || null;
      else if (role.kind === 'grade') grade = cell.trim() || null;
      else if (role.kind === 'grain') {
        if (cell.trim() === '') return;
        const g = parseNumber(cell, mark).value;
        if (!Number.isFinite(g) || g < 1 || g > 14) issues.push({ line, column: col, message: `grain size "${cell}" is not an ASTM number 1–14` });
        else grainSize = g;
      } else if (role.kind === 'element') {
        const { value: v, reason } = parseNumber(cell, mark);
        if (cell.trim() === '') issues.push({ line, column: col, message: `${role.el} is empty (write 0 if not analysed)` });
        else if (!Number.isFinite(v)) issues.push({ line, column: col, message: `${role.el} value "${cell}" ${reason}` });
        else {
          const limitProblem = elementValueProblem(role.el, v);
          if (limitProblem) issues.push({ line, column: col, message: limitProblem });
          else chem[ELEMENTS.indexOf(role.el)] = v;
        }
      } else {
        const { value: v, reason } = parseNumber(cell, mark);
        const label = `J${DISTANCES_MM[role.point]}`;
        if (cell.trim() === '') issues.push({ line, column: col, message: `hardness at ${label} is missing` });
        else if (!Number.isFinite(v)) issues.push({ line, column: col, message: `hardness "${cell}" at ${label} ${reason}` });
        else if (v < HRC_MIN || v > HRC_MAX) {
          const hint = v > HRC_MAX ? ' (HV or HB values must be converted to HRC first)' : '';
          issues.push({ line, column: col, message: `hardness ${v} at ${label} is outside ${HRC_MIN}–${HRC_MAX} HRC${hint}` });
        } else hrc[role.point] = v;
      }
    });
    if (issues.length > before) continue;
    for (let i = 1; i < N_POINTS; i++) {
      const trough = Math.min(...hrc.slice(0, i));
      if (hrc[i] - trough > MONOTONE_TOLERANCE_HRC) {
        warnings.push({ line, message: `profile rises by ${(hrc[i] - trough).toFixed(1)} HRC at J${DISTANCES_MM[i]} (Jominy profiles should not increase with distance)` });
        break;
      }
    }
    if (heatId !== null) {
      if (heats.has(heatId)) warnings.push({ line, message: `heat id "${heatId}" also on line ${heats.get(heatId)}` });
      else heats.set(heatId, line);
    }
    samples.push({ heatId, grade, grainSize, chemistry: arrayToChem(chem), hardness: hrc, lineNo: line });
  }
  const cut = cutShortLastValue(text, srcLines.length, rows, lineOf, roles);
  if (cut) issues.push({ line: cut.line, column: header[cut.col]!.trim(), message: cut.message });
  if (issues.length) throw new JominyCsvError(issues);
  if (samples.length === 0) throw new JominyCsvError([{ line: headerLine, message: 'the file has a header but no heats' }]);
  return { samples, warnings, meta };
}

/**
 * A copy cut short still parses: "21.5" → "21" in the last column of the last line. When the file ends
 * without its line break and that value has fewer decimals than every other heat agrees on, it is refused.
 */
function cutShortLastValue(text: string, nSrcLines: number, rows: string[][], lineOf: number[], roles: (ColumnRole | null)[]): { line: number; col: number; message: string } | null {
  const last = rows.length - 1;
  if (rows.length < 4 || /[\r\n]$/.test(text) || lineOf[last] !== nSrcLines) return null;
  const col = roles.length - 1;
  const role = roles[col];
  if (!role || (role.kind !== 'element' && role.kind !== 'hrc' && role.kind !== 'grain')) return null;
  const decimals = (v: string) => (/[.,](\d+)/.exec(v.trim().split(/[eE]/)[0]!)?.[1]?.length ?? 0);
  const others = new Set(rows.slice(1, last).map((r) => decimals(r[col] ?? '')));
  const cell = rows[last]![col] ?? '';
  const want = [...others][0]!;
  if (others.size !== 1 || decimals(cell) >= want) return null;
  return { line: lineOf[last]!, col, message: `value "${cell}" has ${decimals(cell)} decimal${decimals(cell) === 1 ? '' : 's'} where every other heat has ${want}, and the file ends without a line break: it looks cut short (if the value is right, end the file with a line break)` };
}

const fmt = (v: number): string => String(+v.toPrecision(6));

/** Writes the canonical CSV; `comments` become `# key: value` lines at the top. */
export function writeJominyCsv(samples: JominySample[], comments: Record<string, string> = {}): string {
  const head = Object.entries(comments).map(([k, v]) => `# ${k}: ${v.replace(/[\r\n]+/g, ' ')}\n`).join('');
  const fields = ['heat_id', 'grade', 'grain_size', ...ELEMENTS, ...DISTANCES_MM.map((d) => `J${d}`)];
  const data = samples.map((s) => [s.heatId ?? '', s.grade ?? '', s.grainSize ?? '', ...ELEMENTS.map((el) => fmt(s.chemistry[el])), ...s.hardness.map((h) => h.toFixed(1))]);
  return head + Papa.unparse({ fields, data }, { newline: '\n' }) + '\n';
}
