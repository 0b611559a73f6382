/**
 * The one strict reader of numbers that people and instruments write: every numeric field Ferrolab reads
 * (CSV cells, typed cells, CLI flags) goes through here, so a value is either read exactly as written or
 * refused with a reason — never guessed.
 *
 * Why not `Number()` / `parseFloat`: `Number('0x37')` is 55, `Number('')` is 0, `Number('1e-400')` is 0,
 * `parseFloat('0,438')` is 0. Each of those once stored a confident wrong number.
 *
 * Lives in `core/api` because the renderer (typed cells) and the core (CSV, CLI) must agree byte for byte.
 */

export type DecimalMark = '.' | ',';

export type StrictDecimalResult = { ok: true; value: number } | { ok: false; reason: string };

export interface StrictDecimalOptions {
  /**
   * Which character separates the fraction. Default '.'. With ',' a point is refused (it would be a
   * thousands separator in that locale, or a different file's convention): one file, one mark.
   */
  decimalMark?: DecimalMark;
  /** Accept the Unicode minus sign U+2212 (spreadsheets paste it). Default true. */
  unicodeMinus?: boolean;
}

/** Smallest positive normal double: below it precision is lost, so such a reading is refused. */
const MIN_NORMAL = 2.2250738585072014e-308;

const PATTERN: Record<DecimalMark, RegExp> = {
  // Optional sign, digits, optional fraction that has digits, optional exponent. No "0.", no ".5",
  // no hex/binary/octal, no thousands separators, no Infinity/NaN.
  '.': /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/,
  ',': /^[+-]?\d+(,\d+)?([eE][+-]?\d+)?$/,
};

/** Reads `text` as a plain decimal number, or says why it is not one. Surrounding spaces are allowed. */
export function parseStrictDecimal(text: string, options: StrictDecimalOptions = {}): StrictDecimalResult {
  const mark = options.decimalMark ?? '.';
  let s = text.trim();
  if (options.unicodeMinus !== false) s = s.replace(/^\u2212/, '-');
  if (s === '') return { ok: false, reason: 'is empty' };
  if (!PATTERN[mark].test(s)) {
    const other: DecimalMark = mark === '.' ? ',' : '.';
    if (PATTERN[other].test(s)) {
      return { ok: false, reason: `uses the decimal mark "${other}" where "${mark}" is expected` };
    }
    return { ok: false, reason: 'is not a plain decimal number' };
  }
  const normalised = mark === ',' ? s.replace(',', '.') : s;
  const value = Number(normalised);
  if (!Number.isFinite(value)) return { ok: false, reason: 'is too large to represent' };
  const mantissaHasDigit = /[1-9]/.test(normalised.split(/[eE]/)[0]!);
  if (value === 0 && mantissaHasDigit) return { ok: false, reason: 'is too small to represent (it would read as 0)' };
  if (value !== 0 && Math.abs(value) < MIN_NORMAL) return { ok: false, reason: 'is too small to represent exactly' };
  return { ok: true, value };
}

/** Like parseStrictDecimal, but the value must also be an integer written without fraction or exponent. */
export function parseStrictInteger(text: string): StrictDecimalResult {
  const s = text.trim().replace(/^\u2212/, '-');
  if (s === '') return { ok: false, reason: 'is empty' };
  if (!/^[+-]?\d+$/.test(s)) return { ok: false, reason: 'is not a whole number' };
  const value = Number(s);
  if (!Number.isSafeInteger(value)) return { ok: false, reason: 'is too large to represent exactly' };
  return { ok: true, value };
}

/** The message every reader uses for a refused cell, so users see the same words everywhere. */
export function cellError(where: { line?: number; column?: string | number }, value: string, reason: string): string {
  const parts: string[] = [];
  if (where.line !== undefined) parts.push(`line ${where.line}`);
  if (where.column !== undefined) parts.push(typeof where.column === 'number' ? `column ${where.column}` : `column "${where.column}"`);
  const at = parts.length ? `${parts.join(', ')}: ` : '';
  return `${at}value "${value}" ${reason}`;
}

/**
 * "1,234" or "1.234": one to three digits without a leading zero, one mark, exactly three digits. Read with one
 * convention it is a decimal (1.234), with the other a thousands group (1234).
 */
export function looksLikeThousands(text: string): boolean {
  return /^[+\-\u2212]?[1-9]\d{0,2}[.,]\d{3}$/.test(text.trim());
}

/**
 * When a file's decimal mark is not declared and every number in it that has a mark looks like a thousands
 * group, nothing in the file tells which mark it uses: the first such cell, to be refused with both readings.
 * One value that cannot be a group ("0,438", "52,5", "1,2345") settles it, and then null.
 */
export function ambiguousMarkCell<T extends { text: string }>(cells: readonly T[]): T | null {
  const marked = cells.filter((c) => /^[+\-\u2212]?\d+[.,]\d+$/.test(c.text.trim()));
  if (!marked.length || !marked.every((c) => looksLikeThousands(c.text))) return null;
  return marked[0];
}

/** The two readings of "1,234": 1234 with the mark as a thousands separator, 1.234 with it as the decimal mark. */
export function ambiguousMarkReadings(text: string): { grouped: number; decimal: number } {
  const s = text.trim().replace(/^\u2212/, '-');
  return { grouped: Number(s.replace(/[.,]/, '')), decimal: Number(s.replace(',', '.')) };
}

/** The refusal's words: both readings of "1,234", and how to settle it. */
export function ambiguousMarkReason(text: string): string {
  const { grouped, decimal } = ambiguousMarkReadings(text);
  return `could be ${grouped} (thousands separator) or ${decimal} (decimal mark), and no value in the file tells which: declare the file's decimal mark`;
}
