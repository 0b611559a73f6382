import Papa from 'papaparse';
import { ambiguousMarkCell, ambiguousMarkReason, cellError, parseStrictDecimal, parseStrictInteger, type DecimalMark } from '../api/strict-decimal.js';
import { fixed, phrase, plain, type Phrase } from '../api/phrase.js';
import { english } from '../runtime/english.js';
import type { CsvHeader } from '../runtime/csv-bytes.js';
import { appendedReplicateNo, carbonProblem, MAX_CARBON_WT_PCT, MAX_REPLICATES, PPM_PER_WT_PCT, readCarbonNumber, toWtPct, type CarbonUnit } from './carbon-values.js';
import { bareNumberAfter, isDecimal, readMarkedLabel, splitReplicateMark, type ReplicateMark } from './replicate-mark.js';

// Length (~780 lines): one file format and every rule it is checked by — header detection, delimiter, column
// mapping, strict numbers, units, replicates, repeated labels, positions, billet prefixes, cut-short lines. Split apart, the rules that refuse
// a file would live in different places from the reader they constrain; kept together on purpose.

/**
 * Parser for carbon-sulfur analyzer exports (LECO/ELTRA/Bruker style CSV) and hand-made sheets.
 *
 * - Delimiter `,`, `;` or tab, detected as the one that splits the most lines into the same number of
 *   fields (a `;` file with decimal commas has a steady `;` count but no commas in its header).
 * - Every data row has exactly as many fields as the header: a decimal comma in a comma-separated file
 *   splits the number in two, and reading only the first half once stored 0 wt.% without a word.
 * - Numbers go through the one strict parser (core/api/strict-decimal): "0.", "0x37", "1e-400" are refused.
 *   One file, one decimal mark: a point always; a comma only when the delimiter is not a comma (declared
 *   by the caller, or detected from the carbon column), and then every value uses it. A ";" or tab file whose
 *   every carbon value looks like "1,234" or "1.234" (a decimal, or a thousands group) is refused until the
 *   caller declares the mark.
 * - A last line without its line break whose carbon value has fewer decimals than every other row's is
 *   refused as truncated (a copy cut short reads "0.451" as "0").
 * - Preamble lines before the header are skipped: the header is the first row naming a point-label
 *   column and a carbon column (sulfur, mass, etc. are ignored). Of several label-like columns, one whose
 *   values are the points' labels as written wins over one of bare numbers (an autoloader "Position").
 * - Replicates: each row is one determination; a replicate column is used when present. Marks after the point
 *   ("P05-R1", "P05-R2", replicate-mark.ts) order a point's burns within the file: numbered 1…k in mark order
 *   (gaps allowed: a failed burn deleted; a mark given twice refused), appended after the stored ones as unmarked
 *   rows are. A mark before the point ("R2-P05") is refused: ring or ray numbering is written so. A label that
 *   repeats unmarked without a replicate column is refused (a copy-paste slip, not a replicate) unless the
 *   caller declares the rows replicates, numbered in file order per point.
 * - Unit: ppm vs wt.% from the carbon column header ("C [ppm]", "Carbon %"), else from magnitudes
 *   (median above 250 can only be ppm; between 2.5 and 250 it could be ‰ or points of 0.01 wt.% too, so an
 *   unconfirmed file is refused); the caller confirms it, and a header/magnitude conflict is reported. In ppm a
 *   value of 2.5 or less (a wt.% value among ppm ones) is refused, and so is a carbon of 0 (an empty burn).
 * - Every problem names its physical line (1-based, as a text editor shows it). One problem anywhere
 *   means the caller must import nothing.
 */

export type Delimiter = ',' | ';' | '\t';
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

export interface ColumnMapping {
  label: string;
  carbon: string;
  replicate: string | null;
  operator: string | null;
  analyzer: string | null;
  measuredAt: string | null;
}

/** The columns the user chose (ColumnMapping's, partly) and `positions: null`: the file's x/y columns are not read. */
export type MappingChoice = Partial<ColumnMapping> & { positions?: null };

export interface CsvLineError {
  line: number;
  message: string;
  /** The line's refusals as codes, for the reader's language (the values quoted exactly as written); absent where the message has none yet. */
  phrases?: Phrase[];
}

export interface ParsedReadingRow {
  line: number;
  /** Label of the billet's point this row belongs to. */
  label: string;
  rawLabel: string;
  /** 1…k within the file per point (file order, the replicate column, or the marks' order); appended, after the stored ones. */
  replicateNo: number;
  /** The number as written, in the file's unit. */
  value: number;
  carbonWtPct: number;
  operator: string | null;
  analyzer: string | null;
  measuredAt: string | null;
}

export interface UnitDecision {
  /** What the file says (header) or suggests (magnitudes). */
  detected: CarbonUnit;
  source: 'header' | 'magnitude';
  reason: string;
  /** `reason` as a phrase, for the interface's language. */
  reasonPhrase: Phrase;
  /** Set when header and magnitudes disagree — the user must confirm the unit explicitly. */
  conflict: string | null;
  /** `conflict` as a phrase (null with it). */
  conflictPhrase: Phrase | null;
  /** The unit the values were converted with (the confirmed one if given, else the detected one). */
  used: CarbonUnit;
}

export interface ReadingsCsvResult {
  delimiter: Delimiter;
  decimalComma: boolean;
  headerLine: number;
  headers: string[];
  mapping: ColumnMapping;
  /** The x and y columns compared with the billet's points (only with `knownPoints`), or null. */
  positions: { x: string; y: string } | null;
  unit: UnitDecision;
  rows: ParsedReadingRow[];
  errors: CsvLineError[];
}

export interface ReadingsCsvOptions {
  /** Labels of the billet's sampling points. */
  knownLabels: readonly string[];
  /**
   * Where the billet's points are (mm from the centre): a file with x and y columns (Ferrolab's own export, a synthetic
   * billet's readings, a drilling plan) is checked against them, row by row. Omitted: positions are not compared.
   */
  knownPoints?: readonly { label: string; xMm: number; yMm: number }[];
  delimiter?: Delimiter;
  /** The file's decimal mark; omitted → detected from the carbon column. ',' only with a ';' or tab delimiter. */
  decimalMark?: DecimalMark;
  /** Rows repeating a label are replicates of that point (numbered in file order) when there is no replicate column. */
  replicates?: boolean;
  /** The user's confirmed unit; omitted → the detected one is used. */
  unit?: CarbonUnit;
  /** Header names chosen by the user, overriding detection; null for an optional column: the file has none. */
  mapping?: MappingChoice;
  /**
   * Names of the other billets stored in this data folder: a label whose prefix is one of them ("B13-P43" importing into
   * B12) is refused. Any other text before the point ("20261120-P01", "Img_001_P01") is no billet's name and is read.
   */
  otherBillets?: readonly string[];
  /**
   * The name of the billet the file is imported into: when some labels carry it as their prefix ("B12-P01" into B12),
   * a label prefixed by another name ("B13-P43") is refused even when no billet B13 is stored yet.
   */
  ownBillet?: string;
  /**
   * Appending: the replicate numbers each point already has stored. The file's replicates are numbered after them (as
   * readings-repo importRows stores them), so a point that would pass MAX_REPLICATES is refused here, in the preview too.
   */
  storedReplicates?: ReadonlyMap<string, readonly number[]>;
}

export class CsvFormatError extends Error {
  /** `phrase`: the same problem as a code (without the line), so the import dialog words it in its language. */
  constructor(readonly line: number, message: string, readonly phrase?: Phrase) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvFormatError';
  }
}

/** Decodes file bytes (UTF-16 with a BOM, UTF-8, else Windows-1252): the one decoder of every CSV import. */
export { decodeCsvBytes } from '../runtime/csv-bytes.js';

const norm = (h: string) => h.toLowerCase().replace(/\s+/g, ' ').trim();
/** Header without unit decorations and punctuation: "C [wt.%]" → "c", "Sample Name" → "samplename". */
const base = (h: string) =>
  norm(h)
    .replace(/\[[^\]]*\]|\([^)]*\)/g, ' ')
    .replace(/wt\.?\s*%|mass\s*%|m\.?-?%|mg\/kg|µg\/g|ppm|percent|pct|%/g, ' ')
    .replace(/[^a-z0-9]/g, '');

const LABEL_NAMES = ['label', 'point', 'pointlabel', 'pointid', 'pointname', 'position', 'pos', 'location', 'sampleid', 'samplename', 'sample', 'name', 'probe', 'id'];
const CARBON_NAMES = ['c', 'carbon', 'ccontent', 'carboncontent', 'totalcarbon', 'ctotal', 'carbonwt', 'cwt'];
const REPLICATE_NAMES = ['replicate', 'replicateno', 'rep', 'repno', 'repeat', 'run', 'runno', 'determination'];
const OPERATOR_NAMES = ['operator', 'analyst', 'user'];
const ANALYZER_NAMES = ['analyzer', 'analyser', 'instrument', 'device'];
const DATE_NAMES = ['measuredat', 'datetime', 'timestamp', 'date', 'analysisdate', 'time'];
const X_NAMES = ['x', 'xmm', 'xpos', 'xposition', 'posx', 'xcoord', 'xcoordinate'];
const Y_NAMES = ['y', 'ymm', 'ypos', 'yposition', 'posy', 'ycoord', 'ycoordinate'];
/** A position column in another unit than mm (pixels, cm, inches) is not compared: it says nothing in mm. */
const NOT_MM = /\b(px|pixels?|cm|in|inch(es)?|µm|um)\b/;
/**
 * How far a file's position may be from the billet's point and still name it: whole mm rounding is up to 0.71 mm off,
 * and points lie ten and more mm apart (85 points on a 100 mm section), so a point farther than this is another one.
 */
export const POSITION_TOLERANCE_MM = 1;
/** A position cell that says "no position": empty, a dash, n/a. */
const POSITION_PLACEHOLDER = /^(|-+|\u2013|\u2014|n\/?a|none|null)$/i;

function findColumn(headers: string[], names: string[], taken: Set<number>): number {
  for (const n of names) {
    const i = headers.findIndex((h, k) => !taken.has(k) && base(h) === n);
    if (i >= 0) return i;
  }
  return -1;
}

/**
 * A percent the header scales ("C [0.01%]", "C [10^-3 %]", "C (×10⁻³ %)", "C [1/1000 %]", "C (%×1000)"): a plant's
 * report in hundredths or thousandths of a percent. Its "%" had read as wt.% — values a hundred or a thousand times too
 * high, the preview saying "column says wt.%". A digit right after a letter (part of a name) is no scale.
 */
const SCALED_PERCENT = /(^|[^a-z0-9])\d[\d.,]*\s*%|%\s*[×x*·]\s*\d|[×x*·]\s*10|10\s*\^|10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]|\be-?\d/;
function scaledPercent(h: string): string | null {
  const s = norm(h);
  if (!s.includes('%')) return null;
  // the unit as written: inside brackets when it has them, else the whole header
  const unit = /\[([^\]]*%[^\]]*)\]|\(([^)]*%[^)]*)\)/.exec(s);
  const text = unit ? (unit[1] ?? unit[2]) : s;
  return SCALED_PERCENT.test(text) ? text.trim() : null;
}

function unitFromHeader(h: string): CarbonUnit | null {
  const s = norm(h);
  if (scaledPercent(h)) return null;
  if (/ppm|mg\/kg|µg\/g/.test(s)) return 'ppm';
  if (/%|pct|percent|\bwt\b/.test(s)) return 'wt_pct';
  return null;
}

/**
 * A unit the carbon header names that is neither wt.% nor ppm ("C [‰]", "C (mass fraction)", "C [g/kg]"), as
 * written, or null. Such a header had its unit ignored and the magnitudes decide: ‰ values read as ppm (ten thousand
 * times too low), a mass fraction as wt.% (a hundred times too low), stored without a word. Refused, never converted.
 */
function foreignCarbonUnit(h: string): string | null {
  const s = norm(h);
  const scaled = scaledPercent(h);
  if (scaled) return scaled;
  if (/ppm|mg\/kg|µg\/g|%|pct|percent/.test(s)) return null;
  const m = /‰|\bper\s?mill?e?\b|promille|(?<![mµu])g\/kg|[µu]g\/kg|mg\/g|ppb|fraction/.exec(s);
  return m ? m[0] : null;
}

/**
 * The label column when several header names could be one: the column whose values name known points as written —
 * "P05", "p5", "B12-P05", anything the label matcher resolves that is not a bare number — over the first by name
 * (label, point, position, …, sample, name). An analyser's "Position" (its autoloader slot, 1, 2, 3 …) beside
 * "Sample" (P5, B12-P05 …) had its numbers read as P01, P02 — readings stored on the wrong points without a word.
 * Numbers alone still map to P-labels when no column names the points. Two columns that both name points and
 * disagree on some row are ambiguous: the first by name is shown, and the row where they part is an error (nothing is
 * imported) naming both, until the label column is chosen — which one names the sample is never guessed.
 */
function namedLabelColumn(headers: string[], rows: RawRow[], chosen: number, carbon: number, knownLabels: readonly string[]): { column: number; conflict: CsvLineError | null } {
  const match = makeLabelMatcher(knownLabels);
  // a label with its replicate marked ("P05-R2") names its point too: unread, an autoloader's "Position" had won. Only
  // when what the mark leaves names a point as labels do ("P05", "B12-P05"): a sample "12-R1" (cast 12, rod 1) beside
  // "Position" 1, 2, … had won as point 12's first burn, and beside "Point" P05 made the file ambiguous
  const named = (k: number) => rows.map((r) => {
    const v = (r.cells[k] ?? '').trim();
    if (/^\d+$/.test(v)) return null;
    const marked = splitReplicateMark(v);
    return match(v) ?? (marked && !/^\d+$/.test(marked.rest.trim()) ? match(marked.rest) : null);
  });
  const candidates = headers
    .map((h, k) => ({ k, labels: k === chosen || (k !== carbon && LABEL_NAMES.includes(base(h))) ? named(k) : [] }))
    .filter((c) => c.labels.some((l) => l !== null))
    // the first by name first: among columns that agree row by row, the name order decides as before
    .sort((a, b) => (a.k === chosen ? -1 : b.k === chosen ? 1 : LABEL_NAMES.indexOf(base(headers[a.k])) - LABEL_NAMES.indexOf(base(headers[b.k]))));
  if (candidates.length === 0) return numberedMarks(headers, rows, chosen, carbon, match);
  const first = candidates[0];
  for (const other of candidates.slice(1)) {
    const row = rows.findIndex((_, i) => first.labels[i] !== other.labels[i]);
    if (row >= 0) {
      const a = headers[first.k], b = headers[other.k];
      const valueA = (rows[row].cells[first.k] ?? '').trim(), valueB = (rows[row].cells[other.k] ?? '').trim();
      return {
        column: first.k,
        conflict: {
          line: rows[row].line,
          message: `columns "${a}" ("${valueA}") and "${b}" ("${valueB}") both name sampling points, and not the same ones: choose the point label column in the import dialog, or delete the other column from the file`,
          phrases: [phrase('readingsLabelColumn.ambiguous', { a, valueA, b, valueB })],
        },
      };
    }
  }
  return { column: first.k, conflict: null };
}

/**
 * Where no column names the points as written: a column of numbers with a replicate mark ("5-R1", "5 R2": point 5's
 * burns, or cast 5's rod 1?) beside another label column of bare numbers (an autoloader's "Position" 1, 2, 3 …) is
 * ambiguous, refused at the first marked row naming both columns and values. "Position" had won without a word and
 * the readings landed on P01, P02 … Alone, such a column is the label column and its marks are read; so it is beside
 * numbers that name no point.
 */
function numberedMarks(headers: string[], rows: RawRow[], chosen: number, carbon: number, match: (raw: string) => string | null): { column: number; conflict: CsvLineError | null } {
  const isLabelColumn = (k: number) => k !== carbon && (k === chosen || LABEL_NAMES.includes(base(headers[k]!)));
  const value = (r: RawRow, k: number) => (r.cells[k] ?? '').trim();
  const numberMarked = (v: string) => {
    const m = splitReplicateMark(v);
    return m !== null && !m.before && /^\d+$/.test(m.rest.trim()) && match(m.rest) !== null;
  };
  for (const r of rows) {
    const marked = headers.findIndex((_, k) => isLabelColumn(k) && numberMarked(value(r, k)));
    if (marked < 0) continue;
    // (numbers that name no point, a LIMS id "1001" or Position 101 on an 85-point billet, are no rival: they had
    // refused "5-R1" as ambiguous)
    const numbers = headers.findIndex((_, k) => k !== marked && isLabelColumn(k) && /^\d+$/.test(value(r, k)) && match(value(r, k)) !== null);
    if (numbers < 0) return { column: marked, conflict: null };
    const said = phrase('readingsLabelColumn.markedNumbers', { numbers: headers[numbers]!, number: value(r, numbers), marked: headers[marked]!, markedValue: value(r, marked) });
    return { column: chosen, conflict: { line: r.line, message: english(said), phrases: [said] } };
  }
  return { column: chosen, conflict: null };
}

/** Header names an analyser gives its autoloader's slot: 1, 2, 3 … in the order the samples were loaded. */
const SLOT_NAMES = ['position', 'pos'];

/**
 * A label column found by its name "Position" whose cells are all bare numbers, with no other column naming the
 * points: an analyser's autoloader slot as often as a point number. Its numbers had been read as P01, P02 … and each
 * reading stored on the point of its slot — on a shuffled load, the wrong points, without a word. Refused (at the
 * first row) until the user says which column names the points: the import dialog's label column, or a header
 * "Point"/"Sample". A "Sample" of bare numbers still names the points (a lab's own numbering).
 */
function slotNumbers(header: string, rows: RawRow[], column: number): CsvLineError | null {
  if (!SLOT_NAMES.includes(base(header))) return null;
  const values = rows.map((r) => ({ line: r.line, v: (r.cells[column] ?? '').trim() })).filter((c) => c.v !== '');
  if (!values.length || !values.every((c) => /^\d+$/.test(c.v))) return null;
  const said = phrase('readingsLabelColumn.slotNumbers', { column: header, value: values[0]!.v });
  return { line: values[0]!.line, message: english(said), phrases: [said] };
}

interface RawRow {
  line: number;
  cells: string[];
  error?: string;
}

function splitRows(text: string, delimiter: Delimiter): RawRow[] {
  const rows: RawRow[] = [];
  // Line of each offset, computed incrementally: papaparse's cursor gives where each row ends.
  let lineAt = 1;
  let scanned = 0;
  const lineOf = (offset: number) => {
    for (; scanned < offset && scanned < text.length; scanned++) if (text.charCodeAt(scanned) === 10) lineAt++;
    return lineAt;
  };
  let start = 0;
  Papa.parse<string[]>(text, {
    delimiter,
    skipEmptyLines: false,
    step: (r) => {
      let s = start;
      while (s < text.length && (text[s] === '\r' || text[s] === '\n')) s++;
      start = r.meta.cursor;
      const line = lineOf(s);
      const cells = r.data.map((c) => String(c));
      const err = r.errors[0];
      rows.push({ line, cells, error: err ? `${err.message.replace(/\.$/, '')} (check the quotes)` : undefined });
    },
  });
  return rows.filter((r) => r.error || r.cells.some((c) => c.trim() !== ''));
}

/** The delimiter that splits the most lines into one steady number of fields. */
export function detectDelimiter(text: string): Delimiter {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 40);
  let best: Delimiter = ',';
  let bestScore = -1;
  for (const d of [';', '\t', ','] as const) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    const freq = new Map<number, number>();
    for (const c of counts) if (c > 0) freq.set(c, (freq.get(c) ?? 0) + 1);
    const score = Math.max(0, ...freq.values());
    if (score > bestScore) { best = d; bestScore = score; }
  }
  return best;
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0, q = false;
  for (const ch of line) {
    if (ch === '"') q = !q;
    else if (ch === d && !q) n++;
  }
  return n;
}

/** Label of a known point for what the file wrote: exact (any case), "P1"/"1" for "P01", or "B12-P01". */
export function makeLabelMatcher(knownLabels: readonly string[]): (raw: string) => string | null {
  const exact = new Map(knownLabels.map((l) => [l.toLowerCase(), l]));
  const byNumber = new Map<number, string>();
  for (const l of knownLabels) {
    const m = /^p0*(\d+)$/i.exec(l);
    if (m) byNumber.set(Number(m[1]), l);
  }
  return (raw) => {
    const s = raw.trim();
    const hit = exact.get(s.toLowerCase());
    if (hit) return hit;
    const m = /^p?0*(\d+)$/i.exec(s) ?? /[^a-z0-9]p0*(\d+)$/i.exec(s);
    if (m) return byNumber.get(Number(m[1])) ?? null;
    return null;
  };
}

/**
 * The point a label (or a patch's file name) names and the replicate marked in it, for a billet's labels and the
 * names of the billets in its data folder (its own and the others): see readMarkedLabel. A label that is a point's
 * own label with other separators ("P05_R2" for the point "P05-R2") is that point; a mark inside a billet's name
 * ("B12-R1-P05" with a billet "B12-R1") is no replicate.
 */
export function makeMarkedLabelReader(knownLabels: readonly string[], billets: { otherBillets?: readonly string[]; ownBillet?: string }): (raw: string) => { label: string | null; mark: ReplicateMark | null } {
  const match = makeLabelMatcher(knownLabels);
  const exact = new Map(knownLabels.map((l) => [l.toLowerCase(), l]));
  // separators only (space, -, _, .): a quote or a slash inside a label ('P"72"', "P05/2") is no spelling of a point
  const separatorless = (l: string) => l.trim().toLowerCase().replace(/[\s\-_.]+/g, '');
  const byKey = new Map<string, string>();
  for (const l of knownLabels) if (!byKey.has(separatorless(l))) byKey.set(separatorless(l), l);
  const names = new Set([...(billets.otherBillets ?? []), ...(billets.ownBillet !== undefined ? [billets.ownBillet] : [])].map(prefixKey).filter((k) => k !== ''));
  return (raw) => readMarkedLabel(
    raw, match,
    // (with separators ignored only where a mark would be split off: elsewhere the matcher reads the label as before)
    (r) => exact.get(r.trim().toLowerCase()) ?? (splitReplicateMark(r) ? byKey.get(separatorless(r)) ?? null : null),
    (r, m) => names.has(prefixKey(m.mark)) || names.has(prefixKey(billetPrefixAsWritten(r))),
  );
}

/** "B12-P05" → "B12-": what a label writes before its point ("P05"), as written; "" when it is the point alone. */
export function billetPrefixAsWritten(raw: string): string {
  const m = /^(.*[^a-z0-9])p0*\d+$/i.exec(raw.trim());
  return m ? m[1]!.replace(/[^a-z0-9]+$/i, '') : '';
}

/** A billet name or label prefix compared without case and separators ("B12-", "b12_", "B 12" → "b12"). */
export const prefixKey = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Camera programs' file counters ("IMG_0042", "DSC_0042" → "img0042"), as prefixKey writes them. */
const CAMERA_COUNTER = /^(img|image|dsc|dscn|dscf|pict|photo|pxl|mvimg|gopr)\d+$/;

/** Whether a prefix (as prefixKey writes it) can be a billet's name: digits alone (a date 20261120, a counter 001) and a camera counter never are. */
export const namesABillet = (key: string) => !/^\d+$/.test(key) && !CAMERA_COUNTER.test(key);

/** What a label writes before its point, as prefixKey compares it ("B12-P05" → "b12"); null when none. */
export function billetPrefix(raw: string, label: string): string | null {
  if (raw.trim().toLowerCase() === label.toLowerCase()) return null;
  const p = prefixKey(billetPrefixAsWritten(raw));
  return p === '' ? null : p;
}

function labelRange(labels: readonly string[]): string {
  if (labels.length === 0) return 'the billet has no sampling points yet';
  if (labels.length <= 6) return `the billet has ${labels.join(', ')}`;
  return `the billet has ${labels[0]}…${labels[labels.length - 1]}`;
}

/** The same refusal as labelRange's sentence, as a code. */
function unknownLabelPhrase(label: string, labels: readonly string[]): Phrase {
  if (labels.length === 0) return phrase('csv.labelUnknownNone', { label });
  if (labels.length <= 6) return phrase('csv.labelUnknownList', { label, labels: labels.join(', ') });
  return phrase('csv.labelUnknownRange', { label, first: labels[0], last: labels[labels.length - 1] });
}

/** The header is looked for in the file's first rows only (an instrument's preamble is a few lines). */
const HEADER_ROWS = 30;

/** A header row's column for `key`: the user's choice by name, else the first of `names` not yet `taken` (then taken). */
function pickColumn(hs: string[], key: keyof ColumnMapping, names: string[], mapping: MappingChoice | undefined, taken: Set<number>): number {
  const wanted = mapping?.[key];
  // An explicit null for an optional column means "the file has none" (e.g. replicates in file order).
  if (wanted === null && key !== 'label' && key !== 'carbon') return -1;
  const k = wanted ? hs.findIndex((h) => norm(h) === norm(wanted)) : findColumn(hs, names, taken);
  if (k >= 0) taken.add(k);
  return k;
}

/**
 * The header row parseReadingsCsv reads (the first of the first 30 rows naming a label and a carbon column, after any
 * preamble), with its delimiter: how decodeCsvBytes names the column of a NUL (core/runtime/csv-bytes.ts). Null when
 * there is none, as the parser would refuse the file.
 */
export function readingsCsvHeader(text: string, opts: Pick<ReadingsCsvOptions, 'delimiter' | 'mapping'> = {}): CsvHeader | null {
  const clean = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const delimiter = opts.delimiter ?? detectDelimiter(clean);
  const raw = splitRows(clean, delimiter);
  for (const row of raw.slice(0, HEADER_ROWS)) {
    const hs = row.cells.map((c) => c.trim());
    const taken = new Set<number>();
    if (pickColumn(hs, 'carbon', CARBON_NAMES, opts.mapping, taken) >= 0 && pickColumn(hs, 'label', LABEL_NAMES, opts.mapping, taken) >= 0)
      return { line: row.line, cells: hs, delimiter };
  }
  return null;
}

export function parseReadingsCsv(text: string, opts: ReadingsCsvOptions): ReadingsCsvResult {
  // Every line break is a line break, whichever kind: a stray LF in a CRLF file splits the line in every
  // editor, so it must split the row here too (papaparse would keep it inside a field, silently).
  const clean = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (clean.trim() === '') throw new CsvFormatError(1, 'the file is empty', phrase('errors.readings.csvEmpty'));
  const delimiter = opts.delimiter ?? detectDelimiter(clean);
  const raw = splitRows(clean, delimiter);
  const errors: CsvLineError[] = [];

  // Header: the first row (within the first 30) naming a label and a carbon column.
  let headerIdx = -1;
  let cols: Record<keyof ColumnMapping, number> | null = null;
  for (let i = 0; i < Math.min(raw.length, HEADER_ROWS) && !cols; i++) {
    const hs = raw[i].cells.map((c) => c.trim());
    const taken = new Set<number>();
    const pick = (key: keyof ColumnMapping, names: string[]) => pickColumn(hs, key, names, opts.mapping, taken);
    const carbon = pick('carbon', CARBON_NAMES);
    let label = pick('label', LABEL_NAMES);
    if (label < 0 || carbon < 0) continue;
    if (!opts.mapping?.label) {
      const named = namedLabelColumn(hs, raw.slice(i + 1), label, carbon, opts.knownLabels);
      if (named.column !== label) { taken.delete(label); taken.add(named.column); label = named.column; }
      if (named.conflict) errors.push(named.conflict);
      else {
        const slot = slotNumbers(hs[label]!, raw.slice(i + 1), label);
        if (slot) errors.push(slot);
      }
    }
    headerIdx = i;
    cols = {
      label, carbon,
      replicate: pick('replicate', REPLICATE_NAMES),
      operator: pick('operator', OPERATOR_NAMES),
      analyzer: pick('analyzer', ANALYZER_NAMES),
      measuredAt: pick('measuredAt', DATE_NAMES),
    };
  }
  if (!cols) {
    const first = raw[0];
    const mapped = Boolean(opts.mapping?.label || opts.mapping?.carbon);
    const wanted = mapped
      ? `the columns "${opts.mapping?.label ?? '(label)'}" and "${opts.mapping?.carbon ?? '(carbon)'}"`
      : 'a point-label column (label, point, sample, name) and a carbon column (C, carbon, C [%], C [ppm])';
    const firstRow = (first?.cells ?? []).join(delimiter === '\t' ? ' | ' : delimiter);
    const said = mapped
      ? phrase('errors.readings.csvNoHeaderMapped', { label: opts.mapping?.label ?? '(label)', carbon: opts.mapping?.carbon ?? '(carbon)', first: firstRow })
      : phrase('errors.readings.csvNoHeader', { first: firstRow });
    throw new CsvFormatError(first?.line ?? 1, `no header row with ${wanted} was found; first row reads "${firstRow}"`, said);
  }
  const header = raw[headerIdx];
  const headers = header.cells.map((c) => c.trim());
  const nameOf = (i: number) => (i >= 0 ? headers[i] : null);
  const mapping: ColumnMapping = {
    label: headers[cols.label], carbon: headers[cols.carbon],
    replicate: nameOf(cols.replicate), operator: nameOf(cols.operator), analyzer: nameOf(cols.analyzer), measuredAt: nameOf(cols.measuredAt),
  };

  const foreign = foreignCarbonUnit(mapping.carbon);
  if (foreign) {
    errors.push({
      line: header.line,
      message: `column "${mapping.carbon}" gives carbon in ${foreign}, which is neither wt.% nor ppm: convert the values to wt.% or ppm and say which in the header`,
      phrases: [phrase('csvCarbonUnit.foreign', { column: mapping.carbon, unit: foreign })],
    });
  }

  const matchLabel = makeLabelMatcher(opts.knownLabels);
  const otherBillet = new Map((opts.otherBillets ?? []).map((n) => [prefixKey(n), n]));
  const ownKey = opts.ownBillet !== undefined ? prefixKey(opts.ownBillet) : '';
  // the point a label names, and the replicate marked in it ("R2-P05", "P05-R2")
  const readLabel = makeMarkedLabelReader(opts.knownLabels, opts);
  interface Pending { line: number; label: string; rawLabel: string; mark: ReplicateMark | null; rawValue: string; value: number; rep: number | null; byMark?: boolean; operator: string | null; analyzer: string | null; measuredAt: string | null }
  const pending: Pending[] = [];
  const cell = (cells: string[], i: number) => (i >= 0 && i < cells.length ? cells[i].trim() : '');
  const optional = (cells: string[], i: number) => cell(cells, i) || null;
  const delimName = delimiter === '\t' ? 'tab' : delimiter;

  // Rows with exactly the header's fields; the others are refused here, whatever they hold.
  const dataRows: RawRow[] = [];
  for (const r of raw.slice(headerIdx + 1)) {
    if (r.error) { errors.push({ line: r.line, message: r.error }); continue; }
    const n = r.cells.length;
    if (n > headers.length) {
      const extra = r.cells.slice(headers.length).map((c) => `"${c}"`).join(', ');
      // empty fields past the header (a spreadsheet's trailing delimiters on some rows) are no split number
      const hint = r.cells.slice(headers.length).every((c) => c.trim() === '')
        ? ' — empty fields after the last column: delete the trailing delimiters, or give those columns a header'
        : delimiter === ','
        ? ' — a decimal comma in a comma-separated file splits the number in two: write decimal points, or save with ";" as the delimiter'
        : ` (is the delimiter "${delimName}" right?)`;
      errors.push({ line: r.line, message: `has ${n} fields where the header (line ${header.line}) has ${headers.length}: ${extra} ${n - headers.length === 1 ? 'has' : 'have'} no column${hint}` });
      continue;
    }
    if (n < headers.length) {
      const missing = headers.slice(n).map((h) => `"${h}"`).join(', ');
      errors.push({ line: r.line, message: `has ${n} field${n === 1 ? '' : 's'} where the header (line ${header.line}) has ${headers.length}: no value for column${headers.length - n === 1 ? '' : 's'} ${missing} (is the delimiter "${delimName}" right?)` });
      continue;
    }
    dataRows.push(r);
  }

  // x and y columns (in mm or without a unit) are read and compared with the billet's points: a file made for another
  // layout (same labels P01…, other positions) had its readings stored on other spots of the section without a word.
  const taken = new Set(Object.values(cols).filter((k) => k >= 0));
  const positionCol = (names: string[]) => {
    const k = findColumn(headers, names, taken);
    return k >= 0 && !NOT_MM.test(norm(headers[k])) ? k : -1;
  };
  // (not read at all when the user says so: a drilling plan with y up, pixels under bare x/y, a file measured from the edge)
  const readPositions = opts.knownPoints !== undefined && opts.mapping?.positions !== null;
  const xCol = readPositions ? positionCol(X_NAMES) : -1;
  const yCol = readPositions ? positionCol(Y_NAMES) : -1;
  // The mark is chosen from every number the file is read for: a ";" file with whole-number ppm carbon (4500) and
  // positions "10,5" had its mark chosen from the carbon alone, and every position refused as using the wrong mark.
  const markCols = [cols.carbon, ...(xCol >= 0 && yCol >= 0 ? [xCol, yCol] : [])];
  const decimalMark = chooseDecimalMark(dataRows.flatMap((r) => markCols.map((k) => cell(r.cells, k))), delimiter, opts.decimalMark, header.line, errors);
  // "1,234" in every row of a ";" file: 1.234 wt.% or 1234 ppm? Refused, never guessed, until the mark is declared.
  // (judged on the same columns the mark is chosen from: positions "10,5" beside carbon "1,234" say "," is the mark)
  if (delimiter !== ',' && opts.decimalMark === undefined) {
    const odd = ambiguousMarkCell(dataRows.flatMap((r) => markCols.map((k) => ({ text: cell(r.cells, k), line: r.line, column: headers[k]! }))));
    if (odd) errors.push({ line: odd.line, message: cellError({ column: odd.column }, odd.text, ambiguousMarkReason(odd.text)) });
  }
  const markHint = (reason: string) =>
    /decimal mark/.test(reason)
      ? delimiter === ',' ? ' (a comma-separated file takes decimal points)' : ` (this file uses "${decimalMark}"; one file, one mark)`
      : '';

  const pointAt = new Map((opts.knownPoints ?? []).map((p) => [p.label, p]));

  for (const r of dataRows) {
    const rawLabel = cell(r.cells, cols.label);
    const rawValue = cell(r.cells, cols.carbon);
    const problems: string[] = [];
    const phrases: Phrase[] = [];
    let label: string | null = null;
    let mark: ReplicateMark | null = null;
    if (!rawLabel) {
      problems.push('the point label is empty');
      phrases.push(phrase('csv.labelEmpty'));
    } else {
      ({ label, mark } = readLabel(rawLabel));
      if (label && mark?.before) {
        // "R2-P05": ring or ray numbering is written so, and rings of equal size cannot be told from burns (R1-P01,
        // R1-P02, R2-P01, R2-P02 had been averaged as two burns of each point)
        const said = phrase('readingsLabel.markBefore', { column: mapping.label, label: rawLabel, mark: mark.mark, point: label, n: mark.replicateNo });
        problems.push(english(said));
        phrases.push(said);
      }
      // "P05/2": a number after the point is no replicate mark (a sub-point, a section?): say the form that is one
      const bare = label ? null : bareNumberAfter(rawLabel);
      const point = bare ? matchLabel(bare.rest) : null;
      if (bare && point) {
        const said = phrase('readingsLabel.replicateForm', { column: mapping.label, label: rawLabel, point, n: bare.number });
        problems.push(english(said));
        phrases.push(said);
      } else if (!label && isDecimal(rawLabel)) {
        // "12.5" had been told to write "P12-R5": a decimal is more likely a position or a value in the wrong column
        const said = phrase('readingsLabel.decimal', { column: mapping.label, label: rawLabel });
        problems.push(english(said));
        phrases.push(said);
      } else if (!label) {
        problems.push(`unknown point label "${rawLabel}" (${labelRange(opts.knownLabels)})`);
        phrases.push(unknownLabelPhrase(rawLabel, opts.knownLabels));
      }
    }
    let value = NaN;
    if (!rawValue) {
      problems.push(`the carbon value (column "${mapping.carbon}") is empty`);
      phrases.push(phrase('csv.carbonEmpty', { column: mapping.carbon }));
    } else {
      const v = readCarbonNumber(rawValue, decimalMark);
      if (v.ok) value = v.value;
      else {
        problems.push(cellError({ column: mapping.carbon }, rawValue, v.reason + markHint(v.reason)));
        // the frame is worded in the reader's language; the value exactly as written; the reason stays English
        phrases.push(phrase('csv.cell', { column: mapping.carbon, value: rawValue, reason: v.reason + markHint(v.reason) }));
      }
    }
    // (a mark orders the point's burns: numbered below, once every row is read)
    let rep: number | null = null;
    if (cols.replicate >= 0) {
      const rr = cell(r.cells, cols.replicate);
      if (rr !== '') {
        const n = parseStrictInteger(rr);
        if (!n.ok || n.value < 1 || n.value > MAX_REPLICATES) {
          problems.push(`replicate "${rr}" is not a whole number from 1 to ${MAX_REPLICATES}`);
          phrases.push(phrase('csv.replicate', { value: rr, max: MAX_REPLICATES }));
        }
        else if (mark && n.value !== mark.replicateNo) {
          // two replicate numbers for one row: which burn it is is not guessed
          const said = phrase('readingsLabel.replicateDisagrees', { column: mapping.label, label: rawLabel, mark: mark.mark, replicateColumn: headers[cols.replicate]!, value: rr });
          problems.push(english(said));
          phrases.push(said);
        }
        else rep = n.value;
      }
    }
    if (xCol >= 0 && yCol >= 0 && label) {
      const [rawX, rawY] = [cell(r.cells, xCol), cell(r.cells, yCol)];
      const read = (raw: string, col: number) => {
        // a placeholder is no position for this row (it imported before positions were read), never a refusal
        if (POSITION_PLACEHOLDER.test(raw)) return null;
        // "10.5 mm" in a column in mm (or without a unit) is 10.5 mm; any other unit is refused, naming it
        const unit = /^(.*?\d)\s*([a-zµ]+)$/i.exec(raw);
        const number = unit && unit[2]!.toLowerCase() === 'mm' ? unit[1]! : raw;
        const reason = unit && unit[2]!.toLowerCase() !== 'mm'
          ? `is in "${unit[2]}" where the column is read in mm`
          : null;
        const v = reason ? null : parseStrictDecimal(number, { decimalMark });
        if (v?.ok) return v.value;
        const why = `${reason ?? v!.reason + markHint(v!.reason)} (if the positions are not the billet's points in mm, don't read them: --no-positions, or "not read" in the import dialog)`;
        problems.push(cellError({ column: headers[col] }, raw, why));
        phrases.push(phrase('csv.cell', { column: headers[col], value: raw, reason: why }));
        return null;
      };
      const [x, y] = [read(rawX, xCol), read(rawY, yCol)];
      const at = pointAt.get(label);
      // a coordinate given is checked on its own when the other is a placeholder ("999", "-" had passed unchecked)
      if ((x !== null || y !== null) && at && Math.hypot(x === null ? 0 : x - at.xMm, y === null ? 0 : y - at.yMm) > POSITION_TOLERANCE_MM) {
        const said = phrase('readingsPosition.elsewhere', { label, x: rawX, y: rawY, xColumn: headers[xCol], yColumn: headers[yCol], px: fixed(at.xMm, 2), py: fixed(at.yMm, 2) });
        problems.push(english(said));
        phrases.push(said);
      }
    }
    if (problems.length) { errors.push({ line: r.line, message: problems.join('; '), phrases }); continue; }
    pending.push({
      line: r.line, label: label!, rawLabel, mark, rawValue, value, rep, byMark: mark !== null && rep === null,
      operator: optional(r.cells, cols.operator), analyzer: optional(r.cells, cols.analyzer), measuredAt: optional(r.cells, cols.measuredAt),
    });
  }

  // Labels with a billet prefix ("B12-P05") are matched by their point number. Refused only on evidence: the prefix is the
  // name of another billet in this data folder (B13's readings had been stored on this billet's points, with --replicates
  // as second determinations), or one point is named under two prefixes (two billets in one file). Other text before the
  // point — a date "20261120-P01", a camera counter "Img_001_P01" — names no billet and is read as before.
  // When labels carry the billet's own name ("B12-P01" into B12, "4712-P01" into heat 4712), a label prefixed by another
  // name ("B13-P43") is B13's even before B13 is stored: it had been imported onto B12's P43. Dates and camera counters
  // are no name and pass; digits alone are refused only as a stored billet's name ("4711-P05" into 4712, 4711 stored).
  // (a label's replicate mark is no prefix: "B12-R2-P05" is B12's)
  const prefixOf = new Map(pending.map((p) => [p, billetPrefix(p.mark?.rest ?? p.rawLabel, p.label)]));
  // the billet's own name is evidence whatever it is spelt with: heat "4712" on "4712-P01" as much as "B12" on "B12-P01"
  const ownFirst = ownKey !== '' ? pending.find((p) => prefixOf.get(p) === ownKey) : undefined;
  const asWritten = (p: Pending) => billetPrefixAsWritten(p.mark?.rest ?? p.rawLabel);
  const prefixedAt = new Map<string, { prefix: string; p: Pending }>();
  const other = new Set<Pending>();
  for (const p of pending) {
    const prefix = prefixOf.get(p)!;
    if (prefix === null) continue;
    const billet = otherBillet.get(prefix);
    if (billet !== undefined) {
      const said = phrase('readingsLabel.otherBillet', { column: mapping.label, label: p.rawLabel, billet });
      errors.push({ line: p.line, message: english(said), phrases: [said] });
      other.add(p);
      continue;
    }
    if (ownFirst && prefix !== ownKey && namesABillet(prefix)) {
      const said = phrase('readingsLabel.notThisBillet', { column: mapping.label, label: p.rawLabel, prefix: asWritten(p), line: ownFirst.line, first: ownFirst.rawLabel, billet: opts.ownBillet! });
      errors.push({ line: p.line, message: english(said), phrases: [said] });
      other.add(p);
      continue;
    }
    const first = prefixedAt.get(p.label);
    if (!first) { prefixedAt.set(p.label, { prefix, p }); continue; }
    // one point on two dates ("20261120-P05", "20261121-P05") is a replicate, not two billets
    if (first.prefix !== prefix && (namesABillet(prefix) || namesABillet(first.prefix))) {
      const said = phrase('readingsLabel.twoBillets', { column: mapping.label, label: p.rawLabel, line: first.p.line, first: first.p.rawLabel, prefix: asWritten(p), firstPrefix: asWritten(first.p) });
      errors.push({ line: p.line, message: english(said), phrases: [said] });
      other.add(p);
    }
  }
  if (other.size) pending.splice(0, pending.length, ...pending.filter((p) => !other.has(p)));

  // A copy cut short still parses: "0.451" → "0", "2026-11-20" → "2026-11-2". Only the last field of a
  // last line without its line break can be cut (earlier fields would be missing); refuse it when it is
  // shorter than every other row agrees on: fewer decimals for the carbon value, fewer characters for the
  // date. Free text (operator, analyzer) and labels vary in length by nature, so they are not judged.
  const lastRaw = raw[raw.length - 1];
  const lastPending = pending[pending.length - 1];
  const lastCol = headers.length - 1;
  const readCols = [cols.carbon, cols.measuredAt];
  if (!/\n$/.test(clean) && lastRaw && lastPending && lastPending.line === lastRaw.line && dataRows.length >= 3 && readCols.includes(lastCol)) {
    const decimals = (v: string) => (/[.,](\d+)/.exec(v.split(/[eE]/)[0]!)?.[1]?.length ?? 0);
    const size = lastCol === cols.carbon ? decimals : (v: string) => v.length;
    const others = new Set(dataRows.slice(0, -1).map((r) => size(cell(r.cells, lastCol))));
    const cut = cell(lastRaw.cells, lastCol);
    const want = [...others][0]!;
    if (others.size === 1 && size(cut) < want) {
      const what = lastCol === cols.carbon ? `has ${size(cut)} decimal${size(cut) === 1 ? '' : 's'} where every other row has ${want}` : `has ${size(cut)} character${size(cut) === 1 ? '' : 's'} where every other row has ${want}`;
      errors.push({ line: lastPending.line, message: cellError({ column: headers[lastCol] }, cut, `${what}, and the file ends without a line break: it looks cut short (if the value is right, end the file with a line break)`) });
      pending.pop();
    }
  }

  // Marks order a point's burns within this file; they are no global burn numbers: "P05-R2, P05-R3" after the failed
  // "P05-R1" was deleted are its burns 1 and 2, and an analyser that restarts its marks each session appends as
  // unmarked rows do (after the stored ones). A mark given twice for one point is refused: which burn is which is not
  // guessed. (A mark had kept its number: gaps refused, and on --append a mark on a stored replicate refused.)
  const marked = new Map<string, Pending[]>();
  for (const p of pending) {
    if (!p.byMark) continue;
    const list = marked.get(p.label);
    if (list) list.push(p);
    else marked.set(p.label, [p]);
  }
  const twice = new Set<Pending>();
  for (const ps of marked.values()) {
    const byNo = [...ps].sort((a, b) => a.mark!.replicateNo - b.mark!.replicateNo || a.line - b.line);
    let k = 0;
    byNo.forEach((p, i) => {
      const prev = byNo[i - 1];
      if (prev && prev.mark!.replicateNo === p.mark!.replicateNo) {
        const first = byNo.find((q) => q.mark!.replicateNo === p.mark!.replicateNo)!;
        const said = phrase('readingsLabel.markTwice', { column: mapping.label, label: p.rawLabel, point: p.label, n: p.mark!.replicateNo, line: first.line, first: first.rawLabel });
        errors.push({ line: p.line, message: english(said), phrases: [said] });
        twice.add(p);
        return;
      }
      p.rep = ++k;
    });
  }
  if (twice.size) pending.splice(0, pending.length, ...pending.filter((p) => !twice.has(p)));
  // A point that marks some rows and not others (rows whose replicate the column does not give): file order and the
  // marks' order could disagree, so which burn is which is not guessed, and its rows are refused. Without a replicate
  // column and undeclared it is a repeat (refused below); else refused here. (Any replicate column, even an empty one,
  // had let "P05-R2, P05" through as replicates 1 and 2.)
  const mixed = new Set<string>();
  for (const [label, ps] of marked) {
    const plain = pending.find((p) => p.label === label && !p.mark && p.rep === null);
    if (!plain) continue;
    mixed.add(label);
    if (opts.replicates || cols.replicate >= 0) {
      const p = ps.find((q) => !twice.has(q)) ?? ps[0]!;
      const said = phrase('readingsLabel.markMixed', { column: mapping.label, label: p.rawLabel, point: label, line: plain.line, plain: plain.rawLabel });
      errors.push({ line: Math.max(p.line, plain.line), message: english(said), phrases: [said] });
    }
  }

  // A label that repeats without a replicate column is a slip until the caller says the rows are replicates, or every
  // row of that point marks its replicate in the label ("P05-R1", "P05-R2"): one unmarked row among them is still a slip.
  if (cols.replicate < 0 && !opts.replicates) {
    const byLabel = new Map<string, Pending[]>();
    for (const p of pending) {
      const list = byLabel.get(p.label);
      if (list) list.push(p);
      else byLabel.set(p.label, [p]);
    }
    const repeated = [...byLabel.values()].filter((ps) => ps.length > 1 && !ps.every((p) => p.mark !== null));
    for (const ps of repeated) {
      const where = ps.map((p) => `${p.line}${p.rawLabel !== p.label ? ` ("${p.rawLabel}")` : ''}`).join(', ');
      // a mark spelt as a billet's name ("R2-P05" into billet R2) is no mark: "mark each row's replicate" had told a
      // file that did to do it again
      const asName = ps.map((p) => ({ p, m: p.mark ? null : splitReplicateMark(p.rawLabel) })).find((x) => x.m !== null);
      const said = asName
        ? phrase('readingsLabel.repeatedMarkIsBillet', { label: ps[0]!.label, lines: where, column: mapping.label, raw: asName.p.rawLabel, mark: (asName.m!.before && billetPrefixAsWritten(asName.p.rawLabel)) || asName.m!.mark, n: asName.m!.replicateNo })
        : phrase('readingsLabel.repeated', { label: ps[0]!.label, lines: where, column: mapping.label });
      errors.push({ line: ps[1]!.line, message: english(said), phrases: [said] });
    }
  }

  if (mixed.size) pending.splice(0, pending.length, ...pending.filter((p) => !mixed.has(p.label)));

  const unit = decideUnit(mapping.carbon, pending.map((p) => p.value), opts.unit);
  // No unit in the header, none confirmed, and magnitudes that are not wt.% yet could be ‰, points or ppm: refused once,
  // at the first value above 2.5, until the unit is said (4.38 "ppm by magnitude" had been stored as 0.000438 wt.%).
  if (unit.source === 'magnitude' && opts.unit === undefined && magnitudeUnclear(median(pending.map((p) => p.value)))) {
    const first = pending.find((p) => p.value > MAX_CARBON_WT_PCT)!;
    const said = phrase('readingsCarbon.unitUnclear', {
      column: mapping.carbon, value: first.rawValue, median: plain(round6(median(pending.map((p) => p.value)))), max: plain(MAX_CARBON_WT_PCT), top: plain(UNCLEAR_TOP),
      permille: plain(round6(first.value / 10)), points: plain(round6(first.value / 100)), thousandths: plain(round6(first.value / 1000)), ppm: plain(round6(first.value / PPM_PER_WT_PCT)),
    });
    errors.push({ line: first.line, message: english(said), phrases: [said] });
  }
  // The same below: a median under 0.025 read "as wt.%" could be a mass fraction (0.0045 for 0.45 wt.%), a hundred times
  // too low, as well as an ultra-low-carbon steel's wt.%.
  if (unit.source === 'magnitude' && opts.unit === undefined && magnitudeTooSmall(median(pending.map((p) => p.value)))) {
    // (a median between two values, 0 and 0.03, may lie where no value does: then the first non-zero one is named)
    const first = pending.find((p) => p.value > 0 && p.value < UNCLEAR_LOW) ?? pending.find((p) => p.value > 0)!;
    const said = phrase('readingsCarbon.unitUnclearLow', {
      column: mapping.carbon, value: first.rawValue, median: plain(round6(median(pending.map((p) => p.value)))), low: plain(UNCLEAR_LOW), fraction: plain(round6(first.value * 100)),
    });
    errors.push({ line: first.line, message: english(said), phrases: [said] });
  }

  const rows: ParsedReadingRow[] = [];
  const seen = new Map<string, number>(); // "label#rep" → line
  const nextRep = new Map<string, number>();
  for (const p of pending) {
    // 0 is what an analyser writes for an empty or failed burn, never a steel's carbon: it had been stored as 0 wt.%.
    if (p.value === 0) {
      const said = phrase('readingsCarbon.zero', { column: mapping.carbon, value: p.rawValue });
      errors.push({ line: p.line, message: english(said), phrases: [said] });
      continue;
    }
    // In ppm, a value a wt.% reading could be (≤ 2.5) is below any steel's carbon: a wt.% value typed among ppm ones
    // ("0.438" beside 4380) had been stored as 0.0000438 wt.%.
    if (unit.used === 'ppm' && p.value > 0 && p.value <= MAX_CARBON_WT_PCT) {
      const said = phrase('readingsCarbon.ppmTooSmall', { column: mapping.carbon, value: p.rawValue, wt: plain(round6(p.value / PPM_PER_WT_PCT)) });
      errors.push({ line: p.line, message: english(said), phrases: [said] });
      continue;
    }
    const wt = toWtPct(p.value, unit.used);
    const problem = carbonProblem(wt);
    if (problem) {
      const asWritten = unit.used === 'ppm' ? ` (${p.value} ppm)` : '';
      errors.push({ line: p.line, message: `${problem}${asWritten} for ${p.label}` });
      continue;
    }
    const rep = p.rep ?? (nextRep.get(p.label) ?? 0) + 1;
    nextRep.set(p.label, Math.max(rep, nextRep.get(p.label) ?? 0));
    // appended after the stored ones (readings-repo importRows): the preview refuses what the import would
    const stored = opts.storedReplicates?.get(p.label) ?? [];
    if (appendedReplicateNo(rep, stored) > MAX_REPLICATES) {
      const highest = Math.max(0, ...stored);
      errors.push({ line: p.line, message: `more than ${MAX_REPLICATES} replicates for ${p.label}${highest ? ` (appended after the highest stored replicate, ${highest}, this is replicate ${appendedReplicateNo(rep, stored)})` : ''}` });
      continue;
    }
    const key = `${p.label}#${rep}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      // (a marked row is numbered by its mark's place among the point's marks: "P05-R2" alone is its replicate 1)
      const how = p.byMark && p.mark!.replicateNo !== rep ? ` (label "${p.rawLabel}": marks number a point's marked rows 1, 2 … in mark order; give every row of ${p.label} its replicate in the column or none)` : '';
      errors.push({ line: p.line, message: `${p.label} replicate ${rep} already appears on line ${earlier}${how}` });
      continue;
    }
    seen.set(key, p.line);
    rows.push({ line: p.line, label: p.label, rawLabel: p.rawLabel, replicateNo: rep, value: p.value, carbonWtPct: wt, operator: p.operator, analyzer: p.analyzer, measuredAt: p.measuredAt });
  }
  if (rows.length === 0 && errors.length === 0) errors.push({ line: header.line, message: 'the header is followed by no readings' });
  errors.sort((a, b) => a.line - b.line);
  const positions = xCol >= 0 && yCol >= 0 ? { x: headers[xCol], y: headers[yCol] } : null;
  return { delimiter, decimalComma: decimalMark === ',', headerLine: header.line, headers, mapping, positions, unit, rows, errors };
}

/**
 * The file's one decimal mark: declared, else the one most of the values read (carbon and positions) use (ties: a point). A comma is
 * never the decimal mark of a comma-separated file.
 */
function chooseDecimalMark(values: string[], delimiter: Delimiter, declared: DecimalMark | undefined, headerLine: number, errors: CsvLineError[]): DecimalMark {
  if (delimiter === ',') {
    if (declared === ',') errors.push({ line: headerLine, message: 'a comma-separated file cannot use decimal commas: write decimal points, or save with ";" as the delimiter' });
    return '.';
  }
  if (declared) return declared;
  let commas = 0, points = 0;
  for (const v of values) {
    if (/^[+\-\u2212]?\d+,\d/.test(v)) commas++;
    else if (/^[+\-\u2212]?\d+\.\d/.test(v)) points++;
  }
  return commas > points ? ',' : '.';
}

/**
 * Above 2.5 a value is no wt.% of a steel; up to 2500 it could still be ‰ (up to 25 for a steel), points of 0.01 wt.%
 * (US "carbon points", up to 250) or thousandths of a percent (0.001 wt.%, a plant report's "×10⁻³ %", up to 2500) as
 * well as ppm: only above 2500 do the magnitudes alone say ppm. (The line was at 250: an unlabelled 470 — 0.470 wt.% in
 * thousandths — was stored as 470 ppm, 0.047 wt.%, "it can only be ppm".)
 */
const UNCLEAR_TOP = MAX_CARBON_WT_PCT * 1000;
const magnitudeUnclear = (med: number) => med > MAX_CARBON_WT_PCT && med <= UNCLEAR_TOP;
/** Below 0.025 a value could be a mass fraction of a steel (at most 0.025) as well as wt.%: the magnitudes cannot say. */
const UNCLEAR_LOW = MAX_CARBON_WT_PCT / 100;
const magnitudeTooSmall = (med: number) => med > 0 && med < UNCLEAR_LOW;
const round6 = (v: number) => Number(v.toPrecision(6));

function median(v: number[]): number {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function decideUnit(carbonHeader: string, values: number[], confirmed?: CarbonUnit): UnitDecision {
  const med = median(values);
  const byMagnitude: CarbonUnit | null = Number.isFinite(med) ? (med > 2.5 ? 'ppm' : 'wt_pct') : null;
  const fromHeader = unitFromHeader(carbonHeader);
  const median_ = plain(Number(med.toPrecision(4)));
  const column = carbonHeader;
  // each sentence once, as a phrase; its English (`reason`, `conflict`) is the catalog's words
  const reasonPhrase: Phrase = fromHeader
    ? phrase('csvUnit.reason.header', { column, unit: fromHeader === 'ppm' ? 'ppm' : 'wt.%' })
    : !Number.isFinite(med)
      ? phrase('csvUnit.reason.noNumbers')
      : magnitudeUnclear(med)
        ? phrase('csvUnit.reason.unclear', { median: median_, max: plain(MAX_CARBON_WT_PCT), top: plain(UNCLEAR_TOP) })
        : med > MAX_CARBON_WT_PCT
          ? phrase('csvUnit.reason.onlyPpm', { median: median_, top: plain(UNCLEAR_TOP) })
          : magnitudeTooSmall(med)
            ? phrase('csvUnit.reason.tooSmall', { median: median_, low: plain(UNCLEAR_LOW) })
            : phrase('csvUnit.reason.wtPct', { median: median_, max: plain(MAX_CARBON_WT_PCT) });
  const conflictPhrase: Phrase | null = fromHeader
    ? byMagnitude && fromHeader !== byMagnitude
      ? phrase(fromHeader === 'wt_pct' ? 'csvUnit.conflict.headerWtPct' : 'csvUnit.conflict.headerPpm', { column, median: median_ })
      : null
    : magnitudeTooSmall(med)
      ? phrase('csvUnit.conflict.tooSmall', { column, median: median_ })
      : magnitudeUnclear(med)
        ? phrase('csvUnit.conflict.unclear', { column, median: median_ })
        : null;
  const detected: CarbonUnit = fromHeader ?? byMagnitude ?? 'wt_pct';
  return {
    detected, source: fromHeader ? 'header' : 'magnitude', reason: english(reasonPhrase), reasonPhrase,
    conflict: conflictPhrase && english(conflictPhrase), conflictPhrase, used: confirmed ?? detected,
  };
}
