import type { PlantFields } from '../../../../core/api/index.js';
import { parseStrictDecimal } from '../../../../core/api/strict-decimal.js';

/** What the Maps form holds for the plant-report fields: plain text, empty = not given. */
export interface PlantForm {
  heat: string;
  grade: string;
  etchant: string;
  analyserMethod: string;
  signedOffBy: string;
  /** "A=1.10, B=1.20" (limits on the max C/C0), or a bare limit. */
  acceptance: string;
}

export const emptyPlantForm = (): PlantForm => ({ heat: '', grade: '', etchant: '', analyserMethod: '', signedOffBy: '', acceptance: '' });

/**
 * "A=1.10, B=1.20" or a bare "1.15" (class "accepted") → classes, numbers by the one strict reader (the
 * CLI's --accept reads NAME=LIMIT the same way, core/api/acceptance.ts; the renderer may not run that
 * module, it imports zod). Order and distinct names are checked by the contract.
 */
function acceptanceClasses(text: string): PlantFields['acceptance'] {
  const parts = text.split(/[,;]/).map((s) => s.trim()).filter(Boolean);
  if (!parts.length) return undefined;
  return parts.map((part) => {
    const m = /^(.+?)\s*=\s*(\S+)$/.exec(part);
    const num = m ? m[2] : part;
    const r = parseStrictDecimal(num);
    if (!r.ok) throw new Error(`Acceptance classes: limit "${num}" ${r.reason} (write NAME=MAX_C/C0, e.g. A=1.10)`);
    if (!(r.value > 0)) throw new Error(`Acceptance classes: limit must be a positive C/C0, got ${num}`);
    return { name: m ? m[1].trim() : 'accepted', maxRatio: r.value };
  });
}

/** The request's `plant` object (undefined when nothing is filled in); a malformed limit throws with the reason. */
export function plantRequest(f: PlantForm): PlantFields | undefined {
  const t = (s: string) => s.trim() || undefined;
  const acceptance = acceptanceClasses(f.acceptance);
  const p: PlantFields = { heat: t(f.heat), grade: t(f.grade), etchant: t(f.etchant), analyserMethod: t(f.analyserMethod), signedOffBy: t(f.signedOffBy), acceptance };
  return Object.values(p).some((v) => v !== undefined) ? p : undefined;
}
