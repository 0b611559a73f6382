/**
 * Chemistry as people type it, e.g. `C=0.40,Mn=0.80`: the one reader shared by the CLI flags
 * (--chem, --fix, --range, --cost) and the UI inputs, so both refuse the same text with the same words.
 * Numbers go through the strict decimal reader; amounts are checked against THE limits table
 * (ELEMENT_LIMITS in core/jominy/elements.ts, which the CSV importer and the API contract use too).
 *
 * Lives in core/api because the renderer may import only from here.
 */
import { ELEMENTS, ELEMENT_LIMITS, elementValueIssue, elementValueProblem, isElement, type Element } from '../jominy/elements.js';
import { parseStrictDecimal, type DecimalMark } from './strict-decimal.js';

export { ELEMENTS, ELEMENT_LIMITS, elementValueIssue, elementValueProblem, type Element };

export type ElementValues = Partial<Record<Element, number>>;
export type ElementRanges = Partial<Record<Element, [number, number]>>;

/**
 * Every code a refusal of typed chemistry carries (core/api/phrase.ts lists them with the rest): the interface
 * words it in the user's language; `text` is the English sentence the CLI prints.
 */
export const CHEMISTRY_CODES = [
  'chem.noElements', 'chem.emptyEntry', 'chem.unreadable', 'chem.unknownElementLike', 'chem.unknownElement', 'chem.twice',
  'chem.badValue', 'chem.notNumber', 'chem.negative', 'chem.aboveLimit', 'chem.aboveLimitPpm', 'chem.rangeUnreadable', 'chem.rangeOrder',
] as const;
export type ChemistryCode = (typeof CHEMISTRY_CODES)[number];
/** A refusal: code + parameters (a Phrase of core/api/phrase.ts) beside the English sentence. */
export interface ChemistryProblem {
  code: ChemistryCode;
  params: Record<string, string | number | { value: number; digits?: number }>;
  text: string;
}
export type ChemistryParse<T> = { ok: true; value: T } | { ok: false; errors: string[]; problems: ChemistryProblem[] };

/** How each reader asks for its entries: the form and an example (formulas, the same in every language). */
interface Hint {
  form: string;
  example: string;
}
/**
 * How a chemistry text is written. With the decimal point (the CLI, English, Chinese) entries are separated by
 * commas (or semicolons); where the language writes a decimal comma (Italian) the comma is the number's and entries
 * are separated by semicolons only: `C=0,40; Mn=0,80`. Each value is read with that one mark, never guessed.
 */
export interface ChemistryOptions {
  decimalMark?: DecimalMark;
}
const markOf = (o: ChemistryOptions | undefined): DecimalMark => o?.decimalMark ?? '.';
const entrySeparator = (mark: DecimalMark): RegExp => (mark === ',' ? /;/ : /[,;]/);
/** A hint's example written with the mark: `C=0.40,Mn=0.80` → `C=0,40; Mn=0,80`. */
function exampleIn(example: string, mark: DecimalMark): string {
  return mark === ',' ? example.replace(/,/g, '; ').replace(/(\d)\.(\d)/g, '$1,$2') : example;
}
const hintIn = (h: Hint, mark: DecimalMark): Hint => ({ form: h.form, example: exampleIn(h.example, mark) });

/** Values as a chemistry text in the notation `mark` asks for (what the readers below read back unchanged). */
export function formatChemistryText(values: Partial<Record<string, number>>, options?: ChemistryOptions): string {
  const mark = markOf(options);
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([el, v]) => `${el}=${mark === ',' ? String(v).replace('.', ',') : String(v)}`)
    .join(mark === ',' ? '; ' : ',');
}

const VALUES: Hint = { form: 'El=value', example: 'C=0.40,Mn=0.80' };

const problem = (code: ChemistryCode, params: ChemistryProblem['params'], text: string): ChemistryProblem => ({ code, params, text });

/** Splits `El=…,El=…` into entries; unknown, repeated and malformed entries are errors that name them. */
function entries(text: string, hint: Hint, mark: DecimalMark): { list: { el: Element; raw: string }[]; errors: ChemistryProblem[] } {
  const errors: ChemistryProblem[] = [];
  const list: { el: Element; raw: string }[] = [];
  const example = `write ${hint.form}, e.g. ${hint.example}`;
  if (text.trim() === '') return { list, errors: [problem('chem.noElements', { ...hint }, `no elements given (${example})`)] };
  const seen = new Map<Element, string>();
  const parts = text.split(entrySeparator(mark));
  // One separator after the last entry (`C=0,40; Mn=0,80;`, as lists are often typed) ends the list: it hides no
  // value. An empty entry anywhere else (`C=0.4,,Mn=1`) may be a value lost in typing, and is refused.
  if (parts.length > 1 && parts[parts.length - 1].trim() === '') parts.pop();
  parts.forEach((part, k) => {
    const entry = part.trim();
    if (entry === '') {
      errors.push(problem('chem.emptyEntry', { n: k + 1, ...hint }, `entry ${k + 1} is empty (${example})`));
      return;
    }
    const m = /^([^=\s]+)\s*=\s*(.*)$/s.exec(entry);
    if (!m) {
      errors.push(problem('chem.unreadable', { entry, ...hint }, `cannot read "${entry}" (${example})`));
      return;
    }
    const name = m[1];
    if (!isElement(name)) {
      const like = ELEMENTS.find((e) => e.toLowerCase() === name.toLowerCase());
      errors.push(
        like
          ? problem('chem.unknownElementLike', { name, like }, `unknown element "${name}" (did you mean ${like}?)`)
          : problem('chem.unknownElement', { name, elements: ELEMENTS.join(', ') }, `unknown element "${name}" (elements: ${ELEMENTS.join(', ')})`),
      );
      return;
    }
    const first = seen.get(name);
    if (first !== undefined) {
      errors.push(problem('chem.twice', { el: name, first, second: entry }, `${name} is given twice ("${first}" and "${entry}")`));
      return;
    }
    seen.set(name, entry);
    list.push({ el: name, raw: m[2] });
  });
  return { list, errors };
}

function amount(el: Element, raw: string, errors: ChemistryProblem[], checkLimits: boolean, mark: DecimalMark): number | null {
  const r = parseStrictDecimal(raw, { decimalMark: mark });
  if (!r.ok) {
    // the value exactly as typed; the strict reader's reason stays English (core/api/strict-decimal.ts)
    errors.push(problem('chem.badValue', { el, value: raw.trim(), reason: r.reason }, `${el}: value "${raw.trim()}" ${r.reason}`));
    return null;
  }
  const issue = checkLimits ? elementValueIssue(el, r.value) : null;
  if (issue) {
    errors.push(issue);
    return null;
  }
  return r.value;
}

const failed = <T>(problems: ChemistryProblem[]): ChemistryParse<T> => ({ ok: false, errors: problems.map((p) => p.text), problems });

/** `El=value,…` → one strict number per element; wt.% inside the limits table when `checkLimits`. */
function elementValues(text: string, hint: Hint, checkLimits: boolean, mark: DecimalMark): ChemistryParse<ElementValues> {
  const { list, errors } = entries(text, hintIn(hint, mark), mark);
  const value: ElementValues = {};
  for (const { el, raw } of list) {
    const v = amount(el, raw, errors, checkLimits, mark);
    if (v !== null) value[el] = v;
  }
  return errors.length ? failed(errors) : { ok: true, value };
}

/** `C=0.40,Mn=0.80,…` → wt.% per element, each inside the limits table. */
export const parseChemistryText = (text: string, options?: ChemistryOptions): ChemistryParse<ElementValues> => elementValues(text, VALUES, true, markOf(options));

/** `Cr=1,Ni=2.5,…` → a plain number per element (not wt.%, e.g. costs): strict numbers, no limits. */
export const parseElementNumbers = (text: string, options?: ChemistryOptions): ChemistryParse<ElementValues> => elementValues(text, { form: 'El=value', example: 'Cr=1,Mo=2' }, false, markOf(options));

/** `Cr=0.8:1.2,…` → [min, max] wt.% per element, both inside the limits table, min ≤ max. */
export function parseChemistryRanges(text: string, options?: ChemistryOptions): ChemistryParse<ElementRanges> {
  const mark = markOf(options);
  const { list, errors } = entries(text, hintIn({ form: 'El=min:max', example: 'Cr=0.8:1.2' }, mark), mark);
  const value: ElementRanges = {};
  for (const { el, raw } of list) {
    const ends = raw.split(':');
    if (ends.length !== 2) {
      errors.push(problem('chem.rangeUnreadable', { el, value: raw.trim(), limit: String(ELEMENT_LIMITS[el]) }, `${el}: cannot read "${raw.trim()}" as min:max (e.g. ${el}=0:${ELEMENT_LIMITS[el]})`));
      continue;
    }
    const lo = amount(el, ends[0], errors, true, mark);
    const hi = amount(el, ends[1], errors, true, mark);
    if (lo === null || hi === null) continue;
    if (lo > hi) errors.push(rangeOrderIssue(el, lo, hi));
    else value[el] = [lo, hi];
  }
  return errors.length ? failed(errors) : { ok: true, value };
}

export const rangeOrderIssue = (el: Element, lo: number, hi: number): ChemistryProblem =>
  problem('chem.rangeOrder', { el, min: { value: lo }, max: { value: hi } }, `${el}: min ${lo} is above max ${hi}`);
export const rangeOrderProblem = (el: Element, lo: number, hi: number): string => rangeOrderIssue(el, lo, hi).text;

/**
 * Elements of `used` that `chem` does not give, or null when none is missing. A missing element is
 * never read as 0: the user says 0 when the steel has none. `who` names what uses them, e.g. "predictor 3".
 */
export function missingElementsProblem(chem: ElementValues, used: readonly Element[], who: string): string | null {
  const missing = used.filter((el) => chem[el] === undefined);
  if (!missing.length) return null;
  return `missing ${missing.join(', ')}: ${who} uses ${missing.length > 1 ? 'them' : 'it'} (write 0 for an element the steel does not contain)`;
}
