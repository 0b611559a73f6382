import type { AcceptanceClass } from '../api/acceptance.js';

/**
 * The acceptance class of a section from its max C/C0: the first class (limits increasing) whose limit
 * the max does not exceed. Above the last limit the section is in no class: "not accepted". The rule is
 * returned as text so the report prints exactly what was applied.
 */
export interface AcceptanceResult {
  className: string | null;
  maxRatio: number;
  rule: string;
  /** One line for the report, e.g. "max C/C0 1.123 ≤ 1.200 → class B". */
  verdict: string;
}

export function acceptanceOf(maxRatio: number, classes: readonly AcceptanceClass[]): AcceptanceResult {
  if (!classes.length) throw new RangeError('no acceptance class given');
  for (let i = 1; i < classes.length; i++) if (!(classes[i].maxRatio > classes[i - 1].maxRatio)) throw new RangeError('acceptance limits must increase from the first class to the last');
  const hit = classes.find((c) => maxRatio <= c.maxRatio) ?? null;
  const list = classes.map((c) => `${c.name}: max C/C0 ≤ ${c.maxRatio.toFixed(3)}`).join('; ');
  const rule = `Class = the first of (${list}) whose limit the section's max C/C0 does not exceed; above ${classes[classes.length - 1].maxRatio.toFixed(3)}: not accepted (no class). Limits set by the user for this report.`;
  const verdict = hit ? `max C/C0 ${maxRatio.toFixed(4)} ≤ ${hit.maxRatio.toFixed(3)} → class ${hit.name}` : `max C/C0 ${maxRatio.toFixed(4)} > ${classes[classes.length - 1].maxRatio.toFixed(3)} → NOT ACCEPTED (no class)`;
  return { className: hit ? hit.name : null, maxRatio, rule, verdict };
}
