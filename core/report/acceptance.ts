import type { AcceptanceClass } from '../api/acceptance.js';
import { reportTranslator, type ReportTranslate } from './report-i18n.js';

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

/** `tr`: the report's language (the rule and verdict are printed as they are returned). */
export function acceptanceOf(maxRatio: number, classes: readonly AcceptanceClass[], tr: ReportTranslate = reportTranslator('en')): AcceptanceResult {
  if (!classes.length) throw new RangeError('no acceptance class given');
  for (let i = 1; i < classes.length; i++) if (!(classes[i].maxRatio > classes[i - 1].maxRatio)) throw new RangeError('acceptance limits must increase from the first class to the last');
  const hit = classes.find((c) => maxRatio <= c.maxRatio) ?? null;
  const last = classes[classes.length - 1].maxRatio.toFixed(3);
  const list = classes.map((c) => tr('acceptance.item', { name: c.name, limit: c.maxRatio.toFixed(3) })).join('; ');
  const rule = tr('acceptance.ruleText', { list, limit: last });
  const max = maxRatio.toFixed(4);
  const verdict = hit ? tr('acceptance.verdictClass', { max, limit: hit.maxRatio.toFixed(3), name: hit.name }) : tr('acceptance.verdictNone', { max, limit: last });
  return { className: hit ? hit.name : null, maxRatio, rule, verdict };
}
