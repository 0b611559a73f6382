import type { PlantFields } from '../../../../core/api/index.js';
import { decimalMarkOf, parseLocaleNumber, type NumberLang, type NumberRefusal } from '../../lib/locale-number.js';

/** What the Maps form holds for the plant-report fields: plain text, empty = not given. */
export interface PlantForm {
  heat: string;
  grade: string;
  etchant: string;
  analyserMethod: string;
  signedOffBy: string;
  /** "A=1.10, B=1.20" (limits on the max C/C0; "A=1,10; B=1,20" in Italian), or a bare limit. */
  acceptance: string;
}

export const emptyPlantForm = (): PlantForm => ({ heat: '', grade: '', etchant: '', analyserMethod: '', signedOffBy: '', acceptance: '' });

/**
 * Why the acceptance field was not read, as a catalog key of the Maps namespace and what it names: the class as typed
 * (`part`) and, for a limit that is no number in the UI language, the number field's own refusal.
 */
export type AcceptanceRefusal =
  | { kind: 'limit'; part: string; number: NumberRefusal }
  | { kind: 'notPositive'; part: string }
  | { kind: 'unnamed'; part: string };

export type PlantRequest = { ok: true; plant: PlantFields | undefined } | { ok: false; refusal: AcceptanceRefusal };

/** What separates the classes: where the language writes a decimal comma, a comma is never a separator. */
export const acceptanceSeparators = (lang: NumberLang): RegExp => (decimalMarkOf(lang) === ',' ? /;/ : /[,;]/);

/**
 * "A=1.10, B=1.20" or a bare "1.15" (class "accepted") → classes. Each limit is read as the UI language's decimal
 * field reads a number (lib/locale-number.ts): in Italian "A=1,10; B=1,20", and "1.10" is refused with the mark to
 * use. Splitting "A=1,10" on its comma read class A at 1 and a nameless class at 10 — a confident wrong class — so a
 * bare limit is taken only alone: beside other classes it is refused. The CLI's --accept reads NAME=LIMIT
 * (core/api/acceptance.ts; the renderer may not run that module, it imports zod). Order and distinct names are checked
 * by the contract.
 */
function acceptanceClasses(text: string, lang: NumberLang): { ok: true; classes: PlantFields['acceptance'] } | { ok: false; refusal: AcceptanceRefusal } {
  const parts = text.split(acceptanceSeparators(lang)).map((s) => s.trim()).filter(Boolean);
  if (!parts.length) return { ok: true, classes: undefined };
  const classes: NonNullable<PlantFields['acceptance']> = [];
  for (const part of parts) {
    const m = /^(.+?)\s*=\s*(\S+)$/.exec(part);
    if (!m && parts.length > 1) return { ok: false, refusal: { kind: 'unnamed', part } };
    const r = parseLocaleNumber(m ? m[2] : part, lang);
    if (!r.ok) return { ok: false, refusal: { kind: 'limit', part, number: r.refusal } };
    if (!(r.value > 0)) return { ok: false, refusal: { kind: 'notPositive', part } };
    classes.push({ name: m ? m[1].trim() : 'accepted', maxRatio: r.value });
  }
  return { ok: true, classes };
}

/** The request's `plant` object (undefined when nothing is filled in), or why the acceptance field was refused. */
export function plantRequest(f: PlantForm, lang: NumberLang): PlantRequest {
  const t = (s: string) => s.trim() || undefined;
  const acceptance = acceptanceClasses(f.acceptance, lang);
  if (!acceptance.ok) return acceptance;
  const p: PlantFields = { heat: t(f.heat), grade: t(f.grade), etchant: t(f.etchant), analyserMethod: t(f.analyserMethod), signedOffBy: t(f.signedOffBy), acceptance: acceptance.classes };
  return { ok: true, plant: Object.values(p).some((v) => v !== undefined) ? p : undefined };
}
