import Papa from 'papaparse';
import { ELEMENTS, HRC_MAX, HRC_MIN, elementValueProblem, type Element } from './elements.js';
import type { DatasetLayout, DistanceUnit, JominySample, MeasuredAs } from './dataset.js';
import { STANDARD_LAYOUT } from './dataset.js';
import { classifyColumn, distanceLabel, type ColumnRole, type HardnessScale } from './csv-columns.js';
import { hvToHrc } from './hardness-conversion.js';
import { MONOTONE_TOLERANCE_HRC, curveRises, reversedBy } from './profile-checks.js';
import { ambiguousMarkCell, ambiguousMarkReason, parseStrictDecimal, type DecimalMark } from '../api/strict-decimal.js';

// Length (~330 lines): one reader of a Jominy file — header roles, the dataset layout, per-cell reading with
// flats and HV, per-heat shape checks and the cut-short check share the row loop's state.

/**
 * Jominy dataset CSV, as plants write it: one heat per row; any subset of the 15 elements (wt.%; C is
 * required), any set of distances (csv-columns.ts: mm, or sixteenths of an inch declared by
 * `# distance-unit: sixteenths` or the caller's flag; plant positions kept as given), two flats per distance
 * (`J1a,J1b`: their mean is the heat's hardness, both are kept), HV columns or rows (converted to HRC by ASTM
 * E140 Table 1 only, marked converted), optional `heat_id`, `grade`, `grain_size`, `scale` (HRC|HV per row).
 * A missing reading or element value is an empty cell or a declared token (`# missing: NA`): it is missing
 * (an element a heat did not analyse is absent from its chemistry), never 0; any other cell that is not a
 * number (e.g. "<0.005", an undeclared "NA") is refused with line, column and value. Lines starting with `#` are comments.
 * Either every row is good or nothing is returned: errors name the file line.
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
  /** The dataset's distances, their unit and its elements (stored with the dataset). */
  layout: DatasetLayout;
  /** Not fatal: every rise of a non-monotone profile, flats far apart, duplicate heat ids. */
  warnings: CsvIssue[];
  /** Values of `# key: value` comment lines at the top, e.g. `synthetic: …`. */
  meta: Record<string, string>;
  /** How the file was read, for the import preview: its delimiter, decimal mark and what each column is. */
  delimiter: string;
  decimalMark: DecimalMark;
  columns: { header: string; role: ColumnRole }[];
}

export interface JominyCsvOptions {
  /** The distance unit (the CLI's `--distance-unit`); must agree with a `# distance-unit:` line if the file has one. */
  distanceUnit?: DistanceUnit;
  /** Cell values meaning "not measured" besides the empty cell (added to a `# missing:` line's). */
  missing?: string[];
  /** The file's decimal mark when it cannot be told from the values ("1,234" everywhere); omitted → detected. */
  decimalMark?: DecimalMark;
}

const MAX_ROWS = 200_000;
/** Cells that look like a "not measured" marker: refused unless declared (`# missing: NA`), with that hint. */
const MISSING_LOOKALIKE = /^(na|n\/a|n\.a\.|nan|none|null|nm|-+|—|x|\?|missing)$/i;
/** Two flats of one distance further apart than this are reported (not refused): one of them may be misread. */
export const FLAT_TOLERANCE_HRC = 3;
export { MONOTONE_TOLERANCE_HRC };

/**
 * One numeric cell through the one strict parser: "0x37", "0b0", "1e-400", "0." are refused with the
 * reason (Number() read them as 55 HRC or 0). "<0.005" is a detection limit, not a value: reading it as
 * 0.005 (as this once did) would store a guess, so it is refused too.
 */
function parseNumber(cell: string, mark: { decimalMark: DecimalMark; hint: string }): { value: number; reason: string } {
  if (/^\s*</.test(cell)) return { value: NaN, reason: 'is a detection limit, not a value (write the analysed value, or leave the cell empty if it was not analysed)' };
  const r = parseStrictDecimal(cell, { decimalMark: mark.decimalMark });
  if (r.ok) return { value: r.value, reason: '' };
  return { value: NaN, reason: `${r.reason}${/decimal mark/.test(r.reason) ? mark.hint : ''}` };
}

/** The file's one decimal mark: a comma only when the delimiter is not a comma and most numbers use it. */
function fileDecimalMark(rows: string[][], delimiter: string, declared?: DecimalMark): { decimalMark: DecimalMark; hint: string } {
  if (declared === ',' && delimiter === ',') throw new JominyCsvError([{ line: 1, message: 'a comma-separated file cannot use decimal commas: write decimal points, or save with ";" as the delimiter' }]);
  if (declared) return { decimalMark: declared, hint: ` (the import declares "${declared}"; one file, one mark)` };
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

const metaKey = (k: string) => k.toLowerCase().replace(/[\s_]+/g, '-');

function declaredUnit(meta: Record<string, string>, flag: DistanceUnit | undefined): DistanceUnit | { error: string } {
  const raw = meta['distance-unit'];
  let fromFile: DistanceUnit | undefined;
  if (raw !== undefined) {
    const v = raw.trim().toLowerCase();
    if (v === 'mm') fromFile = 'mm';
    else if (['sixteenths', '1/16', '1/16 in', '1/16"', 'sixteenths of an inch'].includes(v)) fromFile = 'sixteenths';
    else return { error: `"# distance-unit: ${raw}" is not mm or sixteenths` };
  }
  if (fromFile && flag && fromFile !== flag) return { error: `the file declares distances in ${fromFile} but the import was asked for ${flag}` };
  return fromFile ?? flag ?? 'mm';
}

/** One distance of the layout: where each flat's column is. */
interface DistanceCols {
  distanceMm: number;
  label: string;
  single: number | null;
  a: number | null;
  b: number | null;
}

export function parseJominyCsv(text: string, opts: JominyCsvOptions = {}): ParsedJominyCsv {
  const meta: Record<string, string> = {};
  const srcLines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const kept: string[] = [];
  const lineOf: number[] = [];
  srcLines.forEach((l, i) => {
    const t = l.trim();
    if (t.startsWith('#')) {
      const m = /^#\s*([\w -]+?)\s*:\s*(.*)$/.exec(t);
      if (m && kept.length === 0) meta[metaKey(m[1])] = m[2];
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
  const headerLine = lineOf[0];
  const unit = declaredUnit(meta, opts.distanceUnit);
  if (typeof unit !== 'string') throw new JominyCsvError([{ line: 1, message: unit.error }]);
  const missingTokens = new Set([...(meta.missing ?? '').split(','), ...(opts.missing ?? [])].map((t) => t.trim()).filter((t) => t !== ''));
  const fileScale = (meta['hardness-scale'] ?? 'HRC').trim().toUpperCase();
  if (fileScale !== 'HRC' && fileScale !== 'HV') throw new JominyCsvError([{ line: 1, message: `"# hardness-scale: ${meta['hardness-scale']}" is not HRC or HV` }]);
  const mark = fileDecimalMark(rows.slice(1), parsed.meta.delimiter, opts.decimalMark);
  const roles: (ColumnRole | null)[] = [];
  const seen = new Map<string, number>();
  const byDistance = new Map<number, DistanceCols>();
  header.forEach((h, ci) => {
    const r = classifyColumn(h, unit);
    if ('error' in r) {
      issues.push({ line: headerLine, column: h, message: r.error });
      roles.push(null);
      return;
    }
    roles.push(r);
    if (r.kind === 'hardness') {
      const d = byDistance.get(r.distanceMm) ?? { distanceMm: r.distanceMm, label: distanceLabel(r.number), single: null, a: null, b: null };
      byDistance.set(r.distanceMm, d);
      const slot = r.flat ?? 'single';
      if (d[slot] !== null) issues.push({ line: headerLine, column: h, message: `column for ${d.label}${r.flat ? ` flat ${r.flat}` : ''} appears twice (${header[d[slot]!].trim()} and ${h.trim()})` });
      d[slot] = ci;
      return;
    }
    const key = r.kind === 'element' ? r.el : r.kind;
    if (seen.has(key)) issues.push({ line: headerLine, column: h, message: `column ${key} appears twice` });
    seen.set(key, ci);
  });
  const dists = [...byDistance.values()].sort((x, y) => x.distanceMm - y.distanceMm);
  for (const d of dists) {
    if (d.single !== null && (d.a !== null || d.b !== null)) issues.push({ line: headerLine, column: d.label, message: `${d.label} has both a single column and flat columns; give either one column or the two flats (a and b)` });
    else if ((d.a === null) !== (d.b === null)) issues.push({ line: headerLine, column: d.label, message: `${d.label} has flat ${d.a === null ? 'b' : 'a'} but not flat ${d.a === null ? 'a' : 'b'}: two flats come as a pair (${d.label}a,${d.label}b)` });
    else if (d.a !== null && d.b !== null && (roles[d.a] as { scale: HardnessScale | null }).scale !== (roles[d.b] as { scale: HardnessScale | null }).scale)
      issues.push({ line: headerLine, column: d.label, message: `the two flats of ${d.label} are declared in different scales (${header[d.a].trim()}, ${header[d.b].trim()}); one distance, one scale` });
  }
  const elements: Element[] = ELEMENTS.filter((el) => seen.has(el));
  if (!seen.has('C')) issues.push({ line: headerLine, message: 'no C column: carbon is needed (the martensite cap and the A255 reference are functions of it)' });
  if (dists.length < 2) issues.push({ line: headerLine, message: `${dists.length === 0 ? 'no hardness columns' : 'one hardness column'}: a Jominy curve needs at least two distances (J<distance>, e.g. J1.5,J3,… or J1,J2,… in sixteenths)` });
  if (issues.length) throw new JominyCsvError(issues);
  // Every chemistry and hardness value like "1,234" in a ";" file: a decimal, or thousands? Refused until declared.
  if (parsed.meta.delimiter !== ',' && opts.decimalMark === undefined) {
    const numeric = roles.flatMap((r, ci) => (r && (r.kind === 'element' || r.kind === 'hardness') ? [ci] : []));
    const odd = ambiguousMarkCell(rows.slice(1).flatMap((cells, k) => numeric.map((ci) => ({ text: cells[ci] ?? '', line: lineOf[k + 1], column: header[ci].trim() }))));
    if (odd) throw new JominyCsvError([{ line: odd.line, column: odd.column, message: `value "${odd.text.trim()}" ${ambiguousMarkReason(odd.text)}` }]);
  }
  const layout: DatasetLayout = { distancesMm: dists.map((d) => d.distanceMm), labels: dists.map((d) => d.label), unit, elements };
  const hasFlats = dists.some((d) => d.a !== null);

  const samples: JominySample[] = [];
  const warnings: CsvIssue[] = [];
  const heats = new Map<string, number>();
  const scaleCol = seen.get('scale');
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r];
    const line = lineOf[r];
    if (cells.length !== header.length) {
      issues.push({ line, message: `${cells.length} fields, the header has ${header.length}` });
      continue;
    }
    const before = issues.length;
    const col = (ci: number) => header[ci].trim();
    let rowScale: HardnessScale = fileScale;
    if (scaleCol !== undefined) {
      const v = cells[scaleCol].trim().toUpperCase();
      if (v === 'HV' || v === 'HRC') rowScale = v;
      else if (v !== '') issues.push({ line, column: col(scaleCol), message: `scale "${cells[scaleCol]}" is not HRC or HV` });
    }
    const chemistry: Partial<Record<Element, number>> = {};
    let heatId: string | null = null;
    let grade: string | null = null;
    let grainSize: number | null = null;
    cells.forEach((cell, ci) => {
      const role = roles[ci]!;
      if (role.kind === 'heat') heatId = cell.trim() || null;
      else if (role.kind === 'grade') grade = cell.trim() || null;
      else if (role.kind === 'grain') {
        if (cell.trim() === '' || missingTokens.has(cell.trim())) return;
        const g = parseNumber(cell, mark).value;
        if (!Number.isFinite(g) || g < 1 || g > 14) issues.push({ line, column: col(ci), message: `grain size "${cell}" is not an ASTM number 1–14` });
        else grainSize = g;
      } else if (role.kind === 'element') {
        // Not analysed on this heat (empty, or the declared marker only): missing, left absent — never 0
        // (element-gaps.ts decides what a model does with it).
        if (cell.trim() === '' || missingTokens.has(cell.trim())) return;
        const { value: v, reason } = parseNumber(cell, mark);
        if (!Number.isFinite(v)) issues.push({ line, column: col(ci), message: `${role.el} value "${cell}" ${reason}${MISSING_LOOKALIKE.test(cell.trim()) ? ' (an empty cell is a missing value; a token for one must be declared: # missing: NA)' : ''}` });
        else {
          const limitProblem = elementValueProblem(role.el, v);
          if (limitProblem) issues.push({ line, column: col(ci), message: limitProblem });
          else chemistry[role.el] = v;
        }
      }
    });
    // Hardness, distance by distance: each flat read, HV converted, then the mean of the flats present.
    const hardness: number[] = [];
    const front: (number | null)[] = [];
    const back: (number | null)[] = [];
    const converted: boolean[] = [];
    let anyHv = false;
    for (const d of dists) {
      const read = (ci: number | null): number | null => {
        if (ci === null) return null;
        const cell = cells[ci];
        const t = cell.trim();
        if (t === '' || missingTokens.has(t)) return null;
        const role = roles[ci] as Extract<ColumnRole, { kind: 'hardness' }>;
        const scale = role.scale ?? rowScale;
        const { value: v, reason } = parseNumber(cell, mark);
        if (!Number.isFinite(v)) {
          issues.push({ line, column: col(ci), message: `hardness "${cell}" at ${d.label} ${reason}${MISSING_LOOKALIKE.test(t) ? ' (an empty cell is a missing reading; a token for one must be declared: # missing: NA)' : ''}` });
          return null;
        }
        if (scale === 'HV') {
          const c = hvToHrc(v);
          if (!c.ok) {
            issues.push({ line, column: col(ci), message: `hardness ${v} HV at ${d.label} ${c.reason}` });
            return null;
          }
          return v;
        }
        if (v < HRC_MIN || v > HRC_MAX) {
          const hint = v > HRC_MAX ? ' (HV values: declare the column (J5 HV), the row (scale column) or the file (# hardness-scale: HV); they are converted by ASTM E140)' : '';
          issues.push({ line, column: col(ci), message: `hardness ${v} at ${d.label} is outside ${HRC_MIN}–${HRC_MAX} HRC${hint}` });
          return null;
        }
        return v;
      };
      const scaleOf = (ci: number | null) => (ci === null ? rowScale : ((roles[ci] as Extract<ColumnRole, { kind: 'hardness' }>).scale ?? rowScale));
      const toHrc = (v: number | null, ci: number | null) => (v === null ? null : scaleOf(ci) === 'HV' ? (hvToHrc(v) as { hrc: number }).hrc : v);
      const isHv = scaleOf(d.single ?? d.a) === 'HV';
      if (isHv) anyHv = true;
      converted.push(isHv);
      if (d.single !== null) {
        const v = read(d.single);
        front.push(v);
        back.push(null);
        hardness.push(toHrc(v, d.single) ?? NaN);
      } else {
        const a = read(d.a);
        const b = read(d.b);
        front.push(a);
        back.push(b);
        const ha = toHrc(a, d.a);
        const hb = toHrc(b, d.b);
        if (ha !== null && hb !== null && Math.abs(ha - hb) > FLAT_TOLERANCE_HRC)
          warnings.push({ line, column: d.label, message: `flats at ${d.label} differ by ${Math.abs(ha - hb).toFixed(1)} HRC (${a} and ${b}${isHv ? ' HV' : ''}); their mean is used` });
        // Rounded to 1e-6 HRC so 18.65 and 18.75 give 18.7, not 18.700000000000003.
        hardness.push(ha !== null && hb !== null ? Math.round(((ha + hb) / 2) * 1e6) / 1e6 : (ha ?? hb ?? NaN));
      }
    }
    if (issues.length > before) continue;
    if (!hardness.some(Number.isFinite)) {
      issues.push({ line, message: 'no hardness measured at any distance' });
      continue;
    }
    const rev = reversedBy(hardness);
    if (rev) {
      issues.push({ line, message: `hardness rises along the bar overall, from ${hardness[rev.first].toFixed(1)} HRC at ${layout.labels[rev.first]} to ${hardness[rev.last].toFixed(1)} HRC at ${layout.labels[rev.last]}: a Jominy curve falls from the quenched end (columns in reverse order, or distances from the wrong end?)` });
      continue;
    }
    for (const rise of curveRises(hardness))
      warnings.push({ line, message: `profile rises by ${rise.size.toFixed(1)} HRC from ${layout.labels[rise.from]} to ${layout.labels[rise.to]} (Jominy profiles should not increase with distance)` });
    if (heatId !== null) {
      if (heats.has(heatId)) warnings.push({ line, message: `heat id "${heatId}" also on line ${heats.get(heatId)}` });
      else heats.set(heatId, line);
    }
    const measured: MeasuredAs | null = hasFlats || anyHv ? { converted, front, back: hasFlats ? back : null } : null;
    samples.push({ heatId, grade, grainSize, chemistry, hardness, measured, lineNo: line });
  }
  const cut = cutShortLastValue(text, srcLines.length, rows, lineOf, roles);
  if (cut) issues.push({ line: cut.line, column: header[cut.col]!.trim(), message: cut.message });
  if (issues.length) throw new JominyCsvError(issues);
  if (samples.length === 0) throw new JominyCsvError([{ line: headerLine, message: 'the file has a header but no heats' }]);
  return { samples, layout, warnings, meta, delimiter: parsed.meta.delimiter, decimalMark: mark.decimalMark, columns: header.map((h, ci) => ({ header: h.trim(), role: roles[ci]! })) };
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
  if (!role || (role.kind !== 'element' && role.kind !== 'hardness' && role.kind !== 'grain')) return null;
  const decimals = (v: string) => (/[.,](\d+)/.exec(v.trim().split(/[eE]/)[0]!)?.[1]?.length ?? 0);
  const others = new Set(rows.slice(1, last).map((r) => decimals(r[col] ?? '')));
  const cell = rows[last]![col] ?? '';
  const want = [...others][0]!;
  if (others.size !== 1 || decimals(cell) >= want) return null;
  return { line: lineOf[last]!, col, message: `value "${cell}" has ${decimals(cell)} decimal${decimals(cell) === 1 ? '' : 's'} where every other heat has ${want}, and the file ends without a line break: it looks cut short (if the value is right, end the file with a line break)` };
}

const fmt = (v: number): string => String(+v.toPrecision(6));

/**
 * Writes the canonical CSV of a dataset (one HRC value per distance: the mean of flats, HV converted;
 * a missing reading is an empty cell); `comments` become `# key: value` lines at the top.
 */
export function writeJominyCsv(samples: JominySample[], comments: Record<string, string> = {}, layout: DatasetLayout = STANDARD_LAYOUT): string {
  const all = { ...(layout.unit === 'sixteenths' ? { 'distance-unit': 'sixteenths' } : {}), ...comments };
  const head = Object.entries(all).map(([k, v]) => `# ${k}: ${v.replace(/[\r\n]+/g, ' ')}\n`).join('');
  const fields = ['heat_id', 'grade', 'grain_size', ...layout.elements, ...layout.labels];
  const data = samples.map((s) => [
    s.heatId ?? '', s.grade ?? '', s.grainSize ?? '',
    ...layout.elements.map((el) => (s.chemistry[el] === undefined ? '' : fmt(s.chemistry[el]!))),
    ...s.hardness.map((h) => (Number.isFinite(h) ? h.toFixed(1) : '')),
  ]);
  return head + Papa.unparse({ fields, data }, { newline: '\n' }) + '\n';
}
