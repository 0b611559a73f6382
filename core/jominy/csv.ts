import Papa from 'papaparse';
import { ELEMENTS, HRC_MAX, HRC_MIN, elementValueIssue, type Element } from './elements.js';
import type { DatasetLayout, DistanceUnit, JominySample, MeasuredAs } from './dataset.js';
import { STANDARD_LAYOUT } from './dataset.js';
import { classifyColumn, columnsCouldBeSixteenths, distanceLabel, numberedAsSixteenths, sixteenthsToMm, type ColumnRole, type HardnessScale } from './csv-columns.js';
import { hvToHrc } from './hardness-conversion.js';
import { compareAnalyses } from './check-analysis.js';
import { gradeSpellingVariants } from './grade-spelling.js';
import { MONOTONE_TOLERANCE_HRC, curveRises, reversedBy } from './profile-checks.js';
import { ambiguousMarkCell, ambiguousMarkReadings, parseStrictDecimal, type DecimalMark } from '../api/strict-decimal.js';
import { fixed, phrase, plain, type Phrase } from '../api/phrase.js';
import { english } from '../runtime/english.js';
import type { CsvHeader } from '../runtime/csv-bytes.js';
import { E140_HV_MAX, E140_HV_MIN } from './hardness-conversion.js';
import { SYNTH_MODEL_ID } from './synth.js';
import { heatGrades, heatKeys } from './heat-split.js';
import { SCALE_END, SOFT_FLOOR, belowScaleBound, heatsBelowScale } from './below-scale.js';
import { NO_GRADE } from './dataset-stats.js';
import { elementCellPhrase, hardnessCellPhrase, type MarkHint, type NumberRefusal } from './csv-cell-phrases.js';

// Length (~390 lines): one reader of a Jominy file — header roles, the dataset layout, per-cell reading with
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
  /** The English words (the CLI prints them); `phrase` is the same sentence as a code, for the interface's language. */
  message: string;
  phrase?: Phrase;
}

/** An issue worded once, in the phrase catalog (core/api/i18n): `message` is its English words. */
export function csvIssue(line: number, column: string | undefined, p: Phrase): CsvIssue {
  return column === undefined ? { line, message: english(p), phrase: p } : { line, column, message: english(p), phrase: p };
}

export class JominyCsvError extends Error {
  /** The headline as a code (the issues carry their own); the message adds the first five issues in English. */
  readonly phrase: Phrase;
  constructor(readonly issues: CsvIssue[]) {
    const headline = phrase('jominyCsv.refused', { count: issues.length });
    super(
      `${english(headline)} ` +
        issues
          .slice(0, 5)
          .map((i) => `line ${i.line}${i.column ? ` (${i.column})` : ''}: ${i.message}`)
          .join('; ') +
        (issues.length > 5 ? `; … and ${issues.length - 5} more` : ''),
    );
    this.name = 'JominyCsvError';
    this.phrase = headline;
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
  /**
   * Per distance of the layout: heats (heat-split.ts heatKeys) with a reading below 20 HRC there that were left
   * empty, as `belowScale: 'empty'` asks; all 0 when the option is off (such a file is refused) or the file is synthetic.
   */
  belowScaleLeftOut: number[];
  /** The same per grade (dataset-stats.ts NO_GRADE for heats without one; grades with none left out absent). */
  belowScaleByGrade: Record<string, number[]>;
  /**
   * Per row of `samples`: the layout index from which this row's own cells were left out below 20 HRC (its own reading
   * below the scale, or another bar's of its heat id), null: never — so a heat's mark is its rows' earliest, keyed as the
   * stored rows are keyed (task 27-L: a heat's mark copied to every row along the import's keys followed a row into
   * another heat when a dropped row re-keyed it). Stored per row, so a model judges the share over its own heats
   * (below-scale.ts heatsBelowScale); over all the rows they give belowScaleLeftOut and belowScaleByGrade exactly.
   */
  belowScaleFrom: (number | null)[];
}

export interface JominyCsvOptions {
  /** The distance unit (the CLI's `--distance-unit`); must agree with a `# distance-unit:` line if the file has one. */
  distanceUnit?: DistanceUnit;
  /** Cell values meaning "not measured" besides the empty cell (added to a `# missing:` line's). */
  missing?: string[];
  /** The file's decimal mark when it cannot be told from the values ("1,234" everywhere); omitted → detected. */
  decimalMark?: DecimalMark;
  /**
   * An HRC cell below 20 (where the Rockwell C scale ends) or a bound like "<20": 'refuse' (the default) refuses the
   * file naming the cell; 'empty' leaves that distance of the heat empty (not measured), warns per cell and counts
   * the heats per distance (below-scale.ts says where the share biases a model high).
   */
  belowScale?: BelowScaleOption;
}

/** What the import does with an HRC reading below the scale's end (JominyCsvOptions.belowScale). */
export type BelowScaleOption = 'refuse' | 'empty';

const MAX_ROWS = 200_000;
/** Cells that look like a "not measured" marker: refused unless declared (`# missing: NA`), with that hint. */
const MISSING_LOOKALIKE = /^(na|n\/a|n\.a\.|nan|none|null|nm|-+|—|x|\?|missing)$/i;
/** Two flats of one distance further apart than this are reported (not refused): one of them may be misread. */
export const FLAT_TOLERANCE_HRC = 3;
/** A rise along one curve larger than this is refused: scatter is ~±1 HRC, and a real curve does not climb back 10 HRC. */
export const MAX_RISE_HRC = 10;
/** The lowest HRC the Rockwell C scale gives (ASTM E18); below it a plant file's HRC cell is refused. */
export const HRC_SCALE_MIN = 20;
/** Two flats of one distance further apart than this are refused: no bar's two sides differ so (a typo, a misread indent). */
export const MAX_FLATS_APART_HRC = 10;
export { MONOTONE_TOLERANCE_HRC };

/**
 * One numeric cell through the one strict parser: "0x37", "0b0", "1e-400", "0." are refused with the
 * reason (Number() read them as 55 HRC or 0). "<0.005" is a detection limit, not a value: reading it as
 * 0.005 (as this once did) would store a guess, so it is refused too.
 */
function parseNumber(cell: string, mark: { decimalMark: DecimalMark; hint: MarkHint }): { value: number; refusal: NumberRefusal | null } {
  if (/^\s*[<≤]/.test(cell)) return { value: NaN, refusal: { kind: 'detectionLimit' } };
  const r = parseStrictDecimal(cell, { decimalMark: mark.decimalMark });
  if (r.ok) return { value: r.value, refusal: null };
  // The strict reader says why in English; which of its reasons it is picks the sentence (csv-cell-phrases.ts).
  if (/decimal mark/.test(r.reason)) return { value: NaN, refusal: { kind: 'wrongMark', hint: mark.hint, mark: mark.decimalMark, other: mark.decimalMark === '.' ? ',' : '.' } };
  if (/too large/.test(r.reason)) return { value: NaN, refusal: { kind: 'tooLarge' } };
  if (/would read as 0/.test(r.reason)) return { value: NaN, refusal: { kind: 'tooSmallZero' } };
  if (/too small/.test(r.reason)) return { value: NaN, refusal: { kind: 'tooSmall' } };
  return { value: NaN, refusal: { kind: 'notDecimal', token: MISSING_LOOKALIKE.test(cell.trim()) } };
}

/** The file's one decimal mark: a comma only when the delimiter is not a comma and most numbers use it. */
function fileDecimalMark(rows: string[][], delimiter: string, declared?: DecimalMark): { decimalMark: DecimalMark; hint: MarkHint } {
  if (declared === ',' && delimiter === ',') throw new JominyCsvError([csvIssue(1, undefined, phrase('jominyCsv.commaFileDecimalComma'))]);
  if (declared) return { decimalMark: declared, hint: 'declared' };
  if (delimiter === ',') return { decimalMark: '.', hint: 'commaFile' };
  let commas = 0, points = 0;
  for (const row of rows) for (const c of row) {
    const t = c.trim();
    if (/^[+-]?\d+,\d/.test(t)) commas++;
    else if (/^[+-]?\d+\.\d/.test(t)) points++;
  }
  return commas > points ? { decimalMark: ',', hint: 'fileCommas' } : { decimalMark: '.', hint: 'filePoints' };
}

const metaKey = (k: string) => k.toLowerCase().replace(/[\s_]+/g, '-');

function declaredUnit(meta: Record<string, string>, flag: DistanceUnit | undefined): DistanceUnit | { error: Phrase } {
  const raw = meta['distance-unit'];
  let fromFile: DistanceUnit | undefined;
  if (raw !== undefined) {
    const v = raw.trim().toLowerCase();
    if (v === 'mm') fromFile = 'mm';
    else if (['sixteenths', '1/16', '1/16 in', '1/16"', 'sixteenths of an inch'].includes(v)) fromFile = 'sixteenths';
    else return { error: phrase('jominyCsv.unitUnknown', { value: raw }) };
  }
  if (fromFile && flag && fromFile !== flag) return { error: fromFile === 'mm' ? phrase('jominyCsv.unitConflictMm') : phrase('jominyCsv.unitConflictSixteenths') };
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

/** The table's lines: `# key: value` comments above it (its declarations), blank and comment lines left out. */
function tableLines(text: string): { meta: Record<string, string>; srcLines: string[]; kept: string[]; lineOf: number[] } {
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
  return { meta, srcLines, kept, lineOf };
}

const splitTable = (kept: string[]) => Papa.parse<string[]>(kept.join('\n'), { header: false, skipEmptyLines: false, delimitersToGuess: [',', ';', '\t'] });

/**
 * The header row parseJominyCsv reads (the first line that is no comment and not blank), with the delimiter it guesses:
 * how decodeCsvBytes names the column of a NUL (core/runtime/csv-bytes.ts). Null for a file with no such line.
 */
export function jominyCsvHeader(text: string): CsvHeader | null {
  const { kept, lineOf } = tableLines(text);
  if (kept.length === 0) return null;
  const parsed = splitTable(kept);
  return { line: lineOf[0]!, cells: (parsed.data[0] ?? []).map((c) => c.trim()), delimiter: parsed.meta.delimiter };
}

export function parseJominyCsv(text: string, opts: JominyCsvOptions = {}): ParsedJominyCsv {
  const { meta, srcLines, kept, lineOf } = tableLines(text);
  if (kept.length === 0) throw new JominyCsvError([csvIssue(1, undefined, phrase('jominyCsv.empty'))]);
  if (kept.length - 1 > MAX_ROWS) throw new JominyCsvError([csvIssue(lineOf[MAX_ROWS + 1], undefined, phrase('jominyCsv.tooManyHeats', { max: MAX_ROWS }))]);
  const parsed = splitTable(kept);
  const rows = parsed.data;
  if (rows.length !== kept.length) throw new JominyCsvError([csvIssue(1, undefined, phrase('jominyCsv.multilineQuoted'))]);

  const issues: CsvIssue[] = [];
  // A column with no header and no value on any line (trailing ";;" a spreadsheet leaves) carries nothing: dropped and
  // named in a warning. One with no header but a value somewhere is refused where the value is.
  const width = rows[0].length;
  const blank = rows[0].map((h, ci) => h.trim() === '' && rows.every((r) => (r[ci] ?? '').trim() === ''));
  for (let ci = 0; ci < width; ci++) {
    if (rows[0][ci].trim() !== '' || blank[ci]) continue;
    const r = rows.findIndex((cells) => (cells[ci] ?? '').trim() !== '');
    issues.push(csvIssue(lineOf[r], `#${ci + 1}`, phrase('jominyCsv.column.noHeader', { position: ci + 1, value: rows[r][ci].trim() })));
  }
  const dropped = blank.flatMap((b, ci) => (b ? [ci + 1] : []));
  // Only lines as wide as the header are narrowed: another width is refused below, counted as written.
  const widthOf = rows.map((r) => r.length);
  if (dropped.length) rows.forEach((r, k) => r.length === width && (rows[k] = r.filter((_, ci) => !blank[ci])));
  const header = rows[0];
  const headerLine = lineOf[0];
  const unit = declaredUnit(meta, opts.distanceUnit);
  if (typeof unit !== 'string') throw new JominyCsvError([csvIssue(1, undefined, unit.error)]);
  const missingTokens = new Set([...(meta.missing ?? '').split(','), ...(opts.missing ?? [])].map((t) => t.trim()).filter((t) => t !== ''));
  const fileScale = (meta['hardness-scale'] ?? 'HRC').trim().toUpperCase();
  // the workstation's synthetic files (as the import marks a dataset synthetic: core/services/jominy/datasets.ts)
  const synthetic = 'synthetic' in meta || meta.generator === SYNTH_MODEL_ID;
  if (fileScale !== 'HRC' && fileScale !== 'HV') throw new JominyCsvError([csvIssue(1, undefined, phrase('jominyCsv.scaleUnknown', { value: meta['hardness-scale'] }))]);
  const mark = fileDecimalMark(rows.slice(1), parsed.meta.delimiter, opts.decimalMark);
  const roles: (ColumnRole | null)[] = [];
  const seen = new Map<string, number>();
  const byDistance = new Map<number, DistanceCols>();
  header.forEach((h, ci) => {
    if (h.trim() === '') return void roles.push(null); // refused above, where its value is
    const r = classifyColumn(h, unit);
    if ('error' in r) {
      issues.push(csvIssue(headerLine, h, r.error));
      roles.push(null);
      return;
    }
    roles.push(r);
    if (r.kind === 'hardness') {
      const d = byDistance.get(r.distanceMm) ?? { distanceMm: r.distanceMm, label: distanceLabel(r.number), single: null, a: null, b: null };
      byDistance.set(r.distanceMm, d);
      const slot = r.flat ?? 'single';
      if (d[slot] !== null) {
        const [first, second] = [header[d[slot]!].trim(), h.trim()];
        issues.push(csvIssue(headerLine, h, r.flat ? phrase('jominyCsv.column.flatTwice', { label: d.label, flat: r.flat, first, second }) : phrase('jominyCsv.column.distanceTwice', { label: d.label, first, second })));
      }
      d[slot] = ci;
      return;
    }
    const key = r.kind === 'element' ? r.el : r.kind;
    if (seen.has(key)) issues.push(csvIssue(headerLine, h, phrase('jominyCsv.column.twice', { key })));
    seen.set(key, ci);
  });
  const dists = [...byDistance.values()].sort((x, y) => x.distanceMm - y.distanceMm);
  for (const d of dists) {
    if (d.single !== null && (d.a !== null || d.b !== null)) issues.push(csvIssue(headerLine, d.label, phrase('jominyCsv.column.singleAndFlats', { label: d.label })));
    else if ((d.a === null) !== (d.b === null)) issues.push(csvIssue(headerLine, d.label, phrase('jominyCsv.column.flatUnpaired', { label: d.label, has: d.a === null ? 'b' : 'a', lacks: d.a === null ? 'a' : 'b' })));
    else if (d.a !== null && d.b !== null && (roles[d.a] as { scale: HardnessScale | null }).scale !== (roles[d.b] as { scale: HardnessScale | null }).scale)
      issues.push(csvIssue(headerLine, d.label, phrase('jominyCsv.column.flatScales', { label: d.label, a: header[d.a].trim(), b: header[d.b].trim() })));
  }
  // Undeclared whole-number distances (J1, J2, J3 …; J2, J4 … J32) may be sixteenths; read as mm they put every reading at
  // the wrong distance (J32, 50.8 mm, stored as 32 mm): refused until declared.
  const hardnessCols = roles.flatMap((r, ci) => (r?.kind === 'hardness' ? [{ header: header[ci].trim(), number: r.number }] : []));
  if (meta['distance-unit'] === undefined && opts.distanceUnit === undefined && columnsCouldBeSixteenths(hardnessCols)) {
    const last = dists[dists.length - 1];
    issues.push(csvIssue(headerLine, undefined, phrase('jominyDistanceUnit.undeclared', { labels: dists.map((d) => d.label).join(', '), last: last.label, lastMm: plain(sixteenthsToMm(Number(last.label.slice(1)))) })));
  }
  const elements: Element[] = ELEMENTS.filter((el) => seen.has(el));
  if (!seen.has('C')) issues.push(csvIssue(headerLine, undefined, phrase('jominyCsv.noCarbon')));
  if (dists.length < 2) issues.push(csvIssue(headerLine, undefined, dists.length === 0 ? phrase('jominyCsv.noHardnessColumns') : phrase('jominyCsv.oneHardnessColumn')));
  if (issues.length) throw new JominyCsvError(issues);
  // Every chemistry and hardness value like "1,234" in a ";" file: a decimal, or thousands? Refused until declared.
  if (parsed.meta.delimiter !== ',' && opts.decimalMark === undefined) {
    const numeric = roles.flatMap((r, ci) => (r && (r.kind === 'element' || r.kind === 'hardness') ? [ci] : []));
    const odd = ambiguousMarkCell(rows.slice(1).flatMap((cells, k) => numeric.map((ci) => ({ text: cells[ci] ?? '', line: lineOf[k + 1], column: header[ci].trim() }))));
    if (odd) {
      // the thousands reading is a whole number (written without grouping in every language); the decimal one takes the language's mark
      const { grouped, decimal } = ambiguousMarkReadings(odd.text);
      throw new JominyCsvError([csvIssue(odd.line, odd.column, phrase('jominyCsv.ambiguousMark', { value: odd.text.trim(), grouped, decimal: plain(decimal) }))]);
    }
  }
  // Undeclared, with fractional columns (J1.5 …: mm) beside whole J-numbers one apart: a heat read only at those whole
  // numbers may be another lab's sixteenths merged into an mm file; read as mm, each reading lands at 1/1.5875 of its
  // distance. Such a heat is refused below unless the unit is declared.
  const undeclaredMixed = meta['distance-unit'] === undefined && opts.distanceUnit === undefined && hardnessCols.some((c) => !Number.isInteger(c.number)) && !hardnessCols.some((c) => /mm/i.test(c.header));
  const fractionalCol = dists.map((d) => !Number.isInteger(Number(d.label.slice(1))));
  let fractionalRead = false;
  const wholeOnly: { line: number; labels: string[] }[] = [];
  const layout: DatasetLayout = { distancesMm: dists.map((d) => d.distanceMm), labels: dists.map((d) => d.label), unit, elements };
  const hasFlats = dists.some((d) => d.a !== null);

  const samples: JominySample[] = [];
  const warnings: CsvIssue[] = dropped.length ? [csvIssue(headerLine, undefined, phrase('jominyCsv.emptyColumnsIgnored', { positions: dropped.join(', ') }))] : [];
  const heats = new Map<string, { line: number; chemistry: JominySample['chemistry'] }>();
  // Every value of a row but its heat id → the first line with them: a repeat is a pasted copy, not a second heat.
  const rowsSeen = new Map<string, number>();
  // grade and chemistry → the first line with them (a row without a heat id that repeats them is that heat's retest)
  const chemistryLines = new Map<string, number>();
  // grade and chemistry → rows without a heat id not yet said to be a heat's retest (a later row with an id takes them)
  const unclaimedNoId = new Map<string, number[]>();
  const scaleCol = seen.get('scale');
  const emptyBelowScale = opts.belowScale === 'empty';
  // per stored heat row, per distance: left empty because it read below the scale's end
  const leftOutRows: boolean[][] = [];
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r];
    const line = lineOf[r];
    if (widthOf[r] !== width) {
      issues.push(csvIssue(line, undefined, phrase('jominyCsv.fieldCount', { fields: widthOf[r], header: width })));
      continue;
    }
    const before = issues.length;
    const col = (ci: number) => header[ci].trim();
    let rowScale: HardnessScale = fileScale;
    if (scaleCol !== undefined) {
      const v = cells[scaleCol].trim().toUpperCase();
      if (v === 'HV' || v === 'HRC') rowScale = v;
      else if (v !== '') issues.push(csvIssue(line, col(scaleCol), phrase('jominyCsv.scaleCell', { value: cells[scaleCol] })));
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
        if (!Number.isFinite(g) || g < 1 || g > 14) issues.push(csvIssue(line, col(ci), phrase('jominyCsv.grainSize', { value: cell })));
        else grainSize = g;
      } else if (role.kind === 'element') {
        // Not analysed on this heat (empty, or the declared marker only): missing, left absent — never 0
        // (element-gaps.ts decides what a model does with it).
        if (cell.trim() === '' || missingTokens.has(cell.trim())) return;
        const { value: v, refusal } = parseNumber(cell, mark);
        if (refusal) issues.push(csvIssue(line, col(ci), elementCellPhrase(role.el, cell, refusal)));
        else {
          // THE limits table's refusal, in the words every reader uses (chem.* codes, elements.ts)
          const limit = elementValueIssue(role.el, v);
          if (limit) issues.push(csvIssue(line, col(ci), { code: limit.code, params: limit.params as Phrase['params'] }));
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
    // by column: a cell read below the scale's end and left empty (belowScale 'empty')
    const belowAt: boolean[] = [];
    const leftOutAt: boolean[] = [];
    for (const d of dists) {
      const read = (ci: number | null): number | null => {
        if (ci === null) return null;
        const cell = cells[ci];
        const t = cell.trim();
        if (t === '') return null;
        const role = roles[ci] as Extract<ColumnRole, { kind: 'hardness' }>;
        const scale = role.scale ?? rowScale;
        // "<20" (or "≤ 20", "<20 HRC", "<238" in HV) in a plant file: the heat read below the scale's end — a censored
        // reading, never a value; with the option on it is left empty like a number below 20 and counted. A bound above
        // the end stays refused (a detection limit), one at or under the soft floor ("<0") is no bound of a reading.
        // Checked before the missing tokens: a declared `# missing: <20` had blanked the soft heats uncounted.
        const bound = synthetic ? null : belowScaleBound(t, scale, mark.decimalMark);
        if (bound === 'notOnScale') {
          issues.push(csvIssue(line, col(ci), phrase('jominyCsv.boundNotOnScale', { value: t, label: d.label, scale, floor: SOFT_FLOOR[scale] })));
          return null;
        }
        if (bound === 'below' && !emptyBelowScale && missingTokens.has(t)) {
          issues.push(csvIssue(line, col(ci), phrase('jominyCsv.missingBoundBelowScale', { value: t, label: d.label, min: HRC_SCALE_MIN, end: SCALE_END[scale], scale })));
          return null;
        }
        if (bound === 'below' && emptyBelowScale) {
          warnings.push(csvIssue(line, col(ci), scale === 'HV'
            ? phrase('jominyCsv.hvBoundLeftOut', { value: t, label: d.label, min: HRC_SCALE_MIN, hvMin: E140_HV_MIN })
            : phrase('jominyCsv.hrcBoundLeftOut', { value: t, label: d.label, min: HRC_SCALE_MIN })));
          belowAt[ci] = true;
          return null;
        }
        if (missingTokens.has(t)) return null;
        const { value: v, refusal } = parseNumber(cell, mark);
        if (refusal) {
          issues.push(csvIssue(line, col(ci), hardnessCellPhrase(d.label, cell, refusal)));
          return null;
        }
        if (scale === 'HV') {
          const c = hvToHrc(v);
          // below 238 HV (= 20 HRC by ASTM E140) the reading is as far off the Rockwell C scale as 18 "HRC" is: the same
          // soft heat, left empty and counted with the option on (above the soft floor: under it a typo or another scale)
          if (!c.ok && emptyBelowScale && !synthetic && v < E140_HV_MIN && v > SOFT_FLOOR.HV) {
            warnings.push(csvIssue(line, col(ci), phrase('jominyCsv.hvBelowScaleLeftOut', { value: plain(v), label: d.label, min: HRC_SCALE_MIN, hvMin: E140_HV_MIN })));
            belowAt[ci] = true;
            return null;
          }
          // the same soft heat with the option off: refused naming the option (blanked by hand it would go uncounted)
          if (!c.ok && !synthetic && v < E140_HV_MIN && v > SOFT_FLOOR.HV) {
            issues.push(csvIssue(line, col(ci), phrase('jominyCsv.hvBelowScale', { value: plain(v), label: d.label, min: HRC_SCALE_MIN, hvMin: E140_HV_MIN })));
            return null;
          }
          if (!c.ok) {
            // v is a finite number here: the only reason left is being outside the table
            issues.push(csvIssue(line, col(ci), phrase('jominyCsv.hvOutside', { value: plain(v), label: d.label, min: E140_HV_MIN, max: E140_HV_MAX })));
            return null;
          }
          return v;
        }
        // The Rockwell C scale starts at 20 HRC (ASTM E18): a smaller number in an HRC column is no reading of it (an
        // HRB or HV value, or a softer end read off the scale) and had been stored as exact HRC. A file marked
        // synthetic (# synthetic, or # generator: the synthetic generator's id) holds the generator's curves, model values on the HRC line continued
        // below 20, not readings: those are kept (the dataset is marked SYNTHETIC).
        if (v >= HRC_MIN && v < HRC_SCALE_MIN && !synthetic) {
          if (emptyBelowScale) {
            warnings.push(csvIssue(line, col(ci), phrase('jominyCsv.hrcBelowScaleLeftOut', { value: plain(v), label: d.label, min: HRC_SCALE_MIN })));
            belowAt[ci] = true;
            return null;
          }
          issues.push(csvIssue(line, col(ci), phrase('jominyCsv.hrcBelowScale', { value: plain(v), label: d.label, min: HRC_SCALE_MIN, hvMin: E140_HV_MIN })));
          return null;
        }
        if (v < HRC_MIN || v > HRC_MAX) {
          // above the HRC range it is most likely an HV value: the sentence says how to declare one
          const p = v > HRC_MAX
            ? phrase('jominyCsv.hrcOutsideHv', { value: plain(v), label: d.label, min: HRC_MIN, max: HRC_MAX })
            : phrase('jominyCsv.hrcOutside', { value: plain(v), label: d.label, min: HRC_MIN, max: HRC_MAX });
          issues.push(csvIssue(line, col(ci), p));
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
        leftOutAt.push(belowAt[d.single] === true);
      } else {
        let a = read(d.a);
        let b = read(d.b);
        // One flat below the scale's end: the bar there read below 20 on one side, and the other flat alone would be the
        // same bias high the count stands for — the distance is left empty for this heat (each cell was warned).
        if (belowAt[d.a!] || belowAt[d.b!]) {
          a = null;
          b = null;
        }
        leftOutAt.push(belowAt[d.a!] === true || belowAt[d.b!] === true);
        front.push(a);
        back.push(b);
        const ha = toHrc(a, d.a);
        const hb = toHrc(b, d.b);
        // flats further apart than any scatter: their mean (46 for a 56 typed 36) is no reading of the bar; refused
        if (ha !== null && hb !== null && Math.abs(ha - hb) > MAX_FLATS_APART_HRC)
          issues.push(csvIssue(line, d.label, isHv
            ? phrase('jominyCsv.flatsApartHv', { label: d.label, diff: fixed(Math.abs(ha - hb), 1), a: plain(a!), b: plain(b!) })
            : phrase('jominyCsv.flatsApart', { label: d.label, diff: fixed(Math.abs(ha - hb), 1), a: plain(a!), b: plain(b!) })));
        else if (ha !== null && hb !== null && Math.abs(ha - hb) > FLAT_TOLERANCE_HRC)
          warnings.push(csvIssue(line, d.label, isHv
            ? phrase('jominyCsv.flatsDifferHv', { label: d.label, diff: fixed(Math.abs(ha - hb), 1), a: plain(a!), b: plain(b!) })
            : phrase('jominyCsv.flatsDiffer', { label: d.label, diff: fixed(Math.abs(ha - hb), 1), a: plain(a!), b: plain(b!) })));
        // Rounded to 1e-6 HRC so 18.65 and 18.75 give 18.7, not 18.700000000000003.
        hardness.push(ha !== null && hb !== null ? Math.round(((ha + hb) / 2) * 1e6) / 1e6 : (ha ?? hb ?? NaN));
      }
    }
    if (issues.length > before) continue;
    if (!hardness.some(Number.isFinite)) {
      issues.push(csvIssue(line, undefined, phrase('jominyCsv.noHardnessRow')));
      continue;
    }
    if (undeclaredMixed) {
      const readAt = dists.flatMap((d, k) => (Number.isFinite(hardness[k]) ? [k] : []));
      if (readAt.some((k) => fractionalCol[k])) fractionalRead = true;
      else if (numberedAsSixteenths(readAt.map((k) => ({ header: dists[k].label, number: Number(dists[k].label.slice(1)) })))) wholeOnly.push({ line, labels: readAt.map((k) => dists[k].label) });
    }
    const rev = reversedBy(hardness);
    if (rev) {
      issues.push(csvIssue(line, undefined, phrase('jominyCsv.reversed', { from: fixed(hardness[rev.first], 1), fromLabel: layout.labels[rev.first], to: fixed(hardness[rev.last], 1), toLabel: layout.labels[rev.last] })));
      continue;
    }
    // A rise within scatter, or a bump of a few HRC, is reported; one above MAX_RISE_HRC is no measurement of this curve
    // (an HRB reading of the soft end in an HRC column, a mistyped value): it had been stored, warned among the others.
    const rises = curveRises(hardness);
    const tooLarge = rises.filter((rise) => rise.size > MAX_RISE_HRC);
    for (const rise of tooLarge)
      issues.push(csvIssue(line, layout.labels[rise.to], phrase('jominyCsv.riseTooLarge', { value: plain(hardness[rise.to]), to: layout.labels[rise.to], size: fixed(rise.size, 1), fromValue: plain(hardness[rise.from]), from: layout.labels[rise.from] })));
    if (tooLarge.length) continue;
    for (const rise of rises)
      warnings.push(csvIssue(line, undefined, phrase('jominyCsv.rise', { size: fixed(rise.size, 1), from: layout.labels[rise.from], to: layout.labels[rise.to] })));
    // A row equal to an earlier one in grade, grain size, chemistry and every reading (both flats, as read) is the
    // same heat pasted twice or a file appended to itself: two bars never agree at every distance. Kept, it is
    // learnt twice and, split across training and test, makes the held-out error a memory test (120 synthetic
    // heats appended to themselves: held-out MAE 1.45 → 0.99 HRC). Refused naming both lines.
    const key = JSON.stringify([grade, grainSize, elements.map((el) => chemistry[el] ?? null), front, back, hardness.map((h) => (Number.isFinite(h) ? h : null))]);
    const firstLine = rowsSeen.get(key);
    if (firstLine !== undefined) {
      issues.push(csvIssue(line, undefined, phrase('jominyCsv.rowRepeated', { first: firstLine })));
      continue;
    }
    rowsSeen.set(key, line);
    if (heatId !== null) {
      const first = heats.get(heatId);
      if (first !== undefined) {
        // One heat has one ladle analysis: a retest row carries it again, leaves an element empty, or gives the bar's
        // check analysis within product-analysis tolerances (check-analysis.ts; warned, naming both values). Another
        // analysis under the same id (C 0.17 and 0.25) had been kept as "one heat": the grade statistics took the
        // first row's, the networks trained on both. Refused at the first such element, naming both values and lines.
        const verdicts = elements.filter((el) => chemistry[el] !== undefined && first.chemistry[el] !== undefined).map((el) => ({ el, v: compareAnalyses(el, chemistry[el]!, first.chemistry[el]!) }));
        const other = verdicts.find((x) => x.v === 'other')?.el;
        const check = verdicts.filter((x) => x.v === 'check').map((x) => x.el);
        if (other !== undefined) {
          const ci = roles.findIndex((r) => r?.kind === 'element' && r.el === other);
          issues.push(csvIssue(line, ci >= 0 ? col(ci) : other, phrase('jominyCsv.heatChemistryDiffers', { heat: heatId, element: other, value: plain(chemistry[other]!), firstLine: first.line, firstValue: plain(first.chemistry[other]!) })));
          continue;
        }
        warnings.push(check.length
          ? csvIssue(line, undefined, phrase('jominyCsv.heatCheckAnalysis', { heat: heatId, firstLine: first.line, values: check.map((el) => `${el} ${String(first.chemistry[el])} / ${String(chemistry[el])}`).join(', ') }))
          : csvIssue(line, undefined, phrase('jominyCsv.heatTwice', { heat: heatId, line: first.line })));
      } else heats.set(heatId, { line, chemistry });
    }
    // A row without a heat id whose grade and chemistry an earlier row has is a retest of that heat: the splits hold it
    // with that heat (heat-split.ts heatKeys), said here so the user sees which rows were taken as one heat.
    const chemKey = JSON.stringify([grade, elements.map((el) => chemistry[el] ?? null)]);
    const sameAs = chemistryLines.get(chemKey);
    if (heatId === null && sameAs !== undefined) warnings.push(csvIssue(line, undefined, phrase('jominyCsv.sameChemistryNoId', { line: sameAs })));
    if (sameAs === undefined) chemistryLines.set(chemKey, line);
    // heatKeys gives a row without an id the id of any row with its grade and chemistry, a later one too: said on that row
    if (heatId === null && sameAs === undefined) unclaimedNoId.set(chemKey, [line]);
    else if (heatId !== null && unclaimedNoId.has(chemKey)) {
      for (const l of unclaimedNoId.get(chemKey)!) warnings.push(csvIssue(l, undefined, phrase('jominyCsv.sameChemistryNoId', { line })));
      unclaimedNoId.delete(chemKey);
    }
    const measured: MeasuredAs | null = hasFlats || anyHv ? { converted, front, back: hasFlats ? back : null } : null;
    samples.push({ heatId, grade, grainSize, chemistry, hardness, measured, lineNo: line });
    leftOutRows.push(leftOutAt);
  }
  if (fractionalRead) for (const w of wholeOnly) issues.push(csvIssue(w.line, undefined, phrase('jominyDistanceUnit.mixedHeat', { labels: w.labels.join(', ') })));
  // the file's last value is in a dropped column when one was dropped at the end: nothing there to be cut short
  const cut = blank[width - 1] ? null : cutShortLastValue(text, srcLines.length, rows, lineOf, roles);
  if (cut) issues.push(csvIssue(cut.line, header[cut.col]!.trim(), cut.phrase));
  if (issues.length) throw new JominyCsvError(issues);
  if (samples.length === 0) throw new JominyCsvError([csvIssue(headerLine, undefined, phrase('jominyCsv.noHeats'))]);
  oneGradePerHeat(samples, warnings);
  const rowFrom = leaveHeatsOut(samples, leftOutRows, layout.labels, warnings);
  const importKeys = heatKeys(samples);
  // a retest that read only where its heat is left out holds no reading now: not stored (a row with none is refused
  // when written so; this one was emptied as the import was asked), said on its line
  const keptRows: number[] = [];
  samples.forEach((s, k) => {
    if (s.hardness.some(Number.isFinite)) keptRows.push(k);
    else warnings.push(csvIssue(s.lineNo ?? 0, undefined, phrase('jominyCsv.retestRowEmpty', { min: HRC_SCALE_MIN })));
  });
  const from = keptMarks(rowFrom, importKeys, keptRows);
  const stored = keptRows.map((k) => samples[k]);
  samples.length = 0;
  samples.push(...stored);
  // the counts over the rows as stored, keyed as they are keyed when read back: a model over all of them counts the same
  const keys = heatKeys(samples);
  const counts = heatsBelowScale(samples, keys, heatGrades(samples, keys).map((g) => g ?? NO_GRADE), from, layout.labels.length);
  for (const v of gradeSpellingVariants(samples)) warnings.push(csvIssue(v.line, undefined, v.phrase));
  return { samples, layout, warnings, meta, delimiter: parsed.meta.delimiter, decimalMark: mark.decimalMark, columns: header.map((h, ci) => ({ header: h.trim(), role: roles[ci]! })), belowScaleLeftOut: counts.leftOut, belowScaleByGrade: Object.fromEntries(Object.entries(counts.byGrade.leftOut ?? {}).map(([g, n]) => [g, [...n]])), belowScaleFrom: from };
}

/**
 * One grade a heat, its first row's: a later row of the heat (same heat id) naming another grade takes the first row's,
 * said on its line. Otherwise the heat counted in two grades' statistics and per-grade counts, and a by-grade split put
 * its rows on both sides of the test set (held out as one grade, learnt from as the other).
 */
function oneGradePerHeat(samples: JominySample[], warnings: CsvIssue[]): void {
  const first = new Map<string, JominySample>();
  for (const s of samples) {
    if (s.heatId === null) continue; // a row without an id joins a heat by its grade (heatKeys): never two grades
    const f = first.get(s.heatId);
    if (!f) first.set(s.heatId, s);
    else if (s.grade !== f.grade) {
      warnings.push(csvIssue(s.lineNo ?? 0, undefined, phrase('jominyCsv.heatTwoGrades', { heat: s.heatId, grade: s.grade ?? NO_GRADE, first: f.grade ?? NO_GRADE, line: f.lineNo ?? 0 })));
      s.grade = f.grade;
    }
  }
}

/**
 * Per distance: heats with a row left empty there for reading below the scale, or nearer the quenched end — a Jominy
 * curve does not rise along the bar, so a heat below 20 HRC at a distance is below the scale at every later one (a bar
 * that stops after "<20" at J30 is below at J40 too, not unmeasured there). Counted as left out from its first such
 * distance on. Readings on the scale there are left empty, each warned naming the line whose bar read below the scale:
 * the same bar's later readings, and another bar's of that heat (a retest's 23.5 beside a bar's 19: keeping it alone is
 * the same bias high one flat alone would carry, the flats rule above) — another bar only where both name the heat id.
 * A row without an id joins a heat by grade and chemistry (heat-split.ts heatKeys), which two heats made to one aim
 * analysis share: it is counted with that heat, but neither blanks nor is blanked by another row.
 */
function leaveHeatsOut(samples: JominySample[], leftOutRows: boolean[][], labels: readonly string[], warnings: CsvIssue[]): (number | null)[] {
  // each row's first distance read below the scale (-1: none); per heat key the first over its rows, and its line
  const firstBelow = leftOutRows.map((row) => labels.findIndex((_, i) => row[i] === true));
  // per heat id: the first distance a bar of it read below and that bar's line (only ids blank another bar)
  const idFrom = new Map<string, { at: number; line: number }>();
  samples.forEach((s, k) => {
    const f = firstBelow[k];
    if (s.heatId !== null && f >= 0 && (idFrom.get(s.heatId)?.at ?? Infinity) > f) idFrom.set(s.heatId, { at: f, line: s.lineNo ?? 0 });
  });
  return samples.map((s, k) => {
    const own = firstBelow[k] >= 0 ? { at: firstBelow[k], line: s.lineNo ?? 0 } : undefined;
    const byId = s.heatId !== null ? idFrom.get(s.heatId) : undefined;
    const from = [own, byId].filter((x) => x !== undefined).sort((x, y) => x.at - y.at)[0];
    if (!from) return null;
    for (let i = from.at; i < labels.length; i++) {
      if (!Number.isFinite(s.hardness[i])) continue;
      const { value, scale } = writtenValue(s, i);
      const p = i === from.at
        ? phrase('jominyCsv.retestLeftOut', { value, scale, label: labels[i], line: from.line, min: HRC_SCALE_MIN })
        : phrase('jominyCsv.laterLeftOut', { value, scale, label: labels[i], line: from.line, at: labels[from.at], min: HRC_SCALE_MIN });
      warnings.push(csvIssue(s.lineNo ?? 0, labels[i], p));
      s.hardness[i] = NaN;
      if (s.measured) {
        s.measured.front[i] = null;
        if (s.measured.back) s.measured.back[i] = null;
      }
    }
    return from.at;
  });
}

/**
 * The marks of the rows kept (`kept`, indices into the import's rows keyed `keys`): each its own, and a dropped row's
 * (a retest emptied by leaving its heat out) handed to the first kept row of its heat, where no kept row of that heat
 * is marked from as near — so the heat still counts as left out from there, once. A heat none of whose rows is kept is
 * no heat of the dataset, and counts nowhere.
 */
function keptMarks(rowFrom: readonly (number | null)[], keys: readonly string[], kept: readonly number[]): (number | null)[] {
  const from = kept.map((k) => rowFrom[k]);
  const isKept = new Set(kept);
  rowFrom.forEach((f, k) => {
    if (f === null || isKept.has(k)) return;
    const same = kept.flatMap((j, at) => (keys[j] === keys[k] ? [at] : []));
    if (same.length === 0 || same.some((at) => from[at] !== null && from[at]! <= f)) return;
    from[same[0]] = f;
  });
  return from;
}

/** A reading as the file wrote it (247 HV, not its HRC; both flats "24 / 23"), for a warning that blanks it. */
function writtenValue(s: JominySample, i: number): { value: string; scale: 'HRC' | 'HV' } {
  if (!s.measured) return { value: String(s.hardness[i]), scale: 'HRC' };
  const cells = [s.measured.front[i], s.measured.back?.[i] ?? null].filter((v): v is number => v !== null);
  return { value: cells.join(' / '), scale: s.measured.converted[i] ? 'HV' : 'HRC' };
}

/**
 * A copy cut short still parses: "21.5" → "21" in the last column of the last line. When the file ends
 * without its line break and that value has fewer decimals than every other heat agrees on, it is refused.
 */
function cutShortLastValue(text: string, nSrcLines: number, rows: string[][], lineOf: number[], roles: (ColumnRole | null)[]): { line: number; col: number; phrase: Phrase } | null {
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
  const has = decimals(cell);
  return { line: lineOf[last]!, col, phrase: has === 1 ? phrase('jominyCsv.cutShortOne', { value: cell, want }) : phrase('jominyCsv.cutShort', { value: cell, decimals: has, want }) };
}

const fmt = (v: number): string => String(+v.toPrecision(6));

/**
 * Writes the canonical CSV of a dataset (one HRC value per distance: the mean of flats, HV converted;
 * a missing reading is an empty cell); `comments` become `# key: value` lines at the top, then the distance unit.
 */
export function writeJominyCsv(samples: JominySample[], comments: Record<string, string> = {}, layout: DatasetLayout = STANDARD_LAYOUT): string {
  // The unit is always written, last, just above the header (a synthetic marker stays the first line): J1, J2, J3 … mm
  // undeclared is ambiguous, and the workstation's own export of such a layout would be refused on re-import.
  const all = { ...comments, 'distance-unit': comments['distance-unit'] ?? layout.unit };
  const head = Object.entries(all).map(([k, v]) => `# ${k}: ${v.replace(/[\r\n]+/g, ' ')}\n`).join('');
  const fields = ['heat_id', 'grade', 'grain_size', ...layout.elements, ...layout.labels];
  const data = samples.map((s) => [
    s.heatId ?? '', s.grade ?? '', s.grainSize ?? '',
    ...layout.elements.map((el) => (s.chemistry[el] === undefined ? '' : fmt(s.chemistry[el]!))),
    ...s.hardness.map((h) => (Number.isFinite(h) ? h.toFixed(1) : '')),
  ]);
  return head + Papa.unparse({ fields, data }, { newline: '\n' }) + '\n';
}
