/**
 * Chemistry as people type it, e.g. `C=0.40,Mn=0.80`: the one reader shared by the CLI flags
 * (--chem, --fix, --range, --cost) and the UI inputs, so both refuse the same text with the same words.
 * Numbers go through the strict decimal reader; amounts are checked against THE limits table
 * (ELEMENT_LIMITS in core/jominy/elements.ts, which the CSV importer and the API contract use too).
 *
 * Lives in core/api because the renderer may import only from here.
 */
import { ELEMENTS, ELEMENT_LIMITS, elementValueProblem, isElement, type Element } from '../jominy/elements.js';
import { parseStrictDecimal } from './strict-decimal.js';

export { ELEMENTS, ELEMENT_LIMITS, elementValueProblem, type Element };

export type ElementValues = Partial<Record<Element, number>>;
export type ElementRanges = Partial<Record<Element, [number, number]>>;
export type ChemistryParse<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const EXAMPLE = 'write El=value, e.g. C=0.40,Mn=0.80';

/** Splits `El=…,El=…` into entries; unknown, repeated and malformed entries are errors that name them. */
function entries(text: string, example: string): { list: { el: Element; raw: string }[]; errors: string[] } {
  const errors: string[] = [];
  const list: { el: Element; raw: string }[] = [];
  if (text.trim() === '') return { list, errors: [`no elements given (${example})`] };
  const seen = new Map<Element, string>();
  text.split(',').forEach((part, k) => {
    const entry = part.trim();
    if (entry === '') {
      errors.push(`entry ${k + 1} is empty (${example})`);
      return;
    }
    const m = /^([^=\s]+)\s*=\s*(.*)$/s.exec(entry);
    if (!m) {
      errors.push(`cannot read "${entry}" (${example})`);
      return;
    }
    const name = m[1];
    if (!isElement(name)) {
      const like = ELEMENTS.find((e) => e.toLowerCase() === name.toLowerCase());
      errors.push(like ? `unknown element "${name}" (did you mean ${like}?)` : `unknown element "${name}" (elements: ${ELEMENTS.join(', ')})`);
      return;
    }
    const first = seen.get(name);
    if (first !== undefined) {
      errors.push(`${name} is given twice ("${first}" and "${entry}")`);
      return;
    }
    seen.set(name, entry);
    list.push({ el: name, raw: m[2] });
  });
  return { list, errors };
}

function amount(el: Element, raw: string, errors: string[], checkLimits: boolean): number | null {
  const r = parseStrictDecimal(raw);
  if (!r.ok) {
    errors.push(`${el}: value "${raw.trim()}" ${r.reason}`);
    return null;
  }
  const problem = checkLimits ? elementValueProblem(el, r.value) : null;
  if (problem) {
    errors.push(problem);
    return null;
  }
  return r.value;
}

/** `El=value,…` → one strict number per element; wt.% inside the limits table when `checkLimits`. */
function elementValues(text: string, hint: string, checkLimits: boolean): ChemistryParse<ElementValues> {
  const { list, errors } = entries(text, hint);
  const value: ElementValues = {};
  for (const { el, raw } of list) {
    const v = amount(el, raw, errors, checkLimits);
    if (v !== null) value[el] = v;
  }
  return errors.length ? { ok: false, errors } : { ok: true, value };
}

/** `C=0.40,Mn=0.80,…` → wt.% per element, each inside the limits table. */
export const parseChemistryText = (text: string): ChemistryParse<ElementValues> => elementValues(text, EXAMPLE, true);

/** `Cr=1,Ni=2.5,…` → a plain number per element (not wt.%, e.g. costs): strict numbers, no limits. */
export const parseElementNumbers = (text: string): ChemistryParse<ElementValues> => elementValues(text, 'write El=value, e.g. Cr=1,Mo=2', false);

/** `Cr=0.8:1.2,…` → [min, max] wt.% per element, both inside the limits table, min ≤ max. */
export function parseChemistryRanges(text: string): ChemistryParse<ElementRanges> {
  const { list, errors } = entries(text, 'write El=min:max, e.g. Cr=0.8:1.2');
  const value: ElementRanges = {};
  for (const { el, raw } of list) {
    const ends = raw.split(':');
    if (ends.length !== 2) {
      errors.push(`${el}: cannot read "${raw.trim()}" as min:max (e.g. ${el}=0:${ELEMENT_LIMITS[el]})`);
      continue;
    }
    const lo = amount(el, ends[0], errors, true);
    const hi = amount(el, ends[1], errors, true);
    if (lo === null || hi === null) continue;
    if (lo > hi) errors.push(rangeOrderProblem(el, lo, hi));
    else value[el] = [lo, hi];
  }
  return errors.length ? { ok: false, errors } : { ok: true, value };
}

export const rangeOrderProblem = (el: Element, lo: number, hi: number): string => `${el}: min ${lo} is above max ${hi}`;

/**
 * Elements of `used` that `chem` does not give, or null when none is missing. A missing element is
 * never read as 0: the user says 0 when the steel has none. `who` names what uses them, e.g. "predictor 3".
 */
export function missingElementsProblem(chem: ElementValues, used: readonly Element[], who: string): string | null {
  const missing = used.filter((el) => chem[el] === undefined);
  if (!missing.length) return null;
  return `missing ${missing.join(', ')}: ${who} uses ${missing.length > 1 ? 'them' : 'it'} (write 0 for an element the steel does not contain)`;
}
