/**
 * Chemistry as people type it, e.g. `C=0.40,Mn=0.80`: the one reader shared by the CLI flags
 * (--chem, --fix, --range, --cost) and the UI inputs, so both refuse the same text with the same words.
 * Numbers go through the strict decimal reader; amounts are checked against THE limits table
 * (ELEMENT_LIMITS in core/jominy/elements.ts, which the CSV importer and the API contract use too).
 *
 * Lives in core/api because the renderer may import only from here.
 */
import { ELEMENTS, ELEMENT_LIMITS, elementValueIssue, elementValueProblem, isElement, type Element } from '../jominy/elements.js';
import { parseStrictDecimal } from './strict-decimal.js';

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
const VALUES: Hint = { form: 'El=value', example: 'C=0.40,Mn=0.80' };

const problem = (code: ChemistryCode, params: ChemistryProblem['params'], text: string): ChemistryProblem => ({ code, params, text });

/** Splits `El=…,El=…` into entries; unknown, repeated and malformed entries are errors that name them. */
function entries(text: string, hint: Hint): { list: { el: Element; raw: string }[]; errors: ChemistryProblem[] } {
  const errors: ChemistryProblem[] = [];
  const list: { el: Element; raw: string }[] = [];
  const example = `write ${hint.form}, e.g. ${hint.example}`;
  if (text.trim() === '') return { list, errors: [problem('chem.noElements', { ...hint }, `no elements given (${example})`)] };
  const seen = new Map<Element, string>();
  text.split(',').forEach((part, k) => {
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

function amount(el: Element, raw: string, errors: ChemistryProblem[], checkLimits: boolean): number | null {
  const r = parseStrictDecimal(raw);
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
function elementValues(text: string, hint: Hint, checkLimits: boolean): ChemistryParse<ElementValues> {
  const { list, errors } = entries(text, hint);
  const value: ElementValues = {};
  for (const { el, raw } of list) {
    const v = amount(el, raw, errors, checkLimits);
    if (v !== null) value[el] = v;
  }
  return errors.length ? failed(errors) : { ok: true, value };
}

/** `C=0.40,Mn=0.80,…` → wt.% per element, each inside the limits table. */
export const parseChemistryText = (text: string): ChemistryParse<ElementValues> => elementValues(text, VALUES, true);

/** `Cr=1,Ni=2.5,…` → a plain number per element (not wt.%, e.g. costs): strict numbers, no limits. */
export const parseElementNumbers = (text: string): ChemistryParse<ElementValues> => elementValues(text, { form: 'El=value', example: 'Cr=1,Mo=2' }, false);

/** `Cr=0.8:1.2,…` → [min, max] wt.% per element, both inside the limits table, min ≤ max. */
export function parseChemistryRanges(text: string): ChemistryParse<ElementRanges> {
  const { list, errors } = entries(text, { form: 'El=min:max', example: 'Cr=0.8:1.2' });
  const value: ElementRanges = {};
  for (const { el, raw } of list) {
    const ends = raw.split(':');
    if (ends.length !== 2) {
      errors.push(problem('chem.rangeUnreadable', { el, value: raw.trim(), limit: String(ELEMENT_LIMITS[el]) }, `${el}: cannot read "${raw.trim()}" as min:max (e.g. ${el}=0:${ELEMENT_LIMITS[el]})`));
      continue;
    }
    const lo = amount(el, ends[0], errors, true);
    const hi = amount(el, ends[1], errors, true);
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
