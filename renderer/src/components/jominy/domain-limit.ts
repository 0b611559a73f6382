import type { JominyModelDetail } from '../../../../core/api/index.js';
import { ELEMENTS } from '../../../../core/api/jominy-chemistry.js';

/**
 * The predictor's domain limit as its page words it (the CLI's `models show` line, core/cli/commands/jominy.ts): the
 * nearest-training-heat distance limit in sd over the elements the networks use. A predictor stored before that mask
 * had its limit over all 15 elements — inflated by elements no network takes —, so the core recomputes it at load and
 * keeps the stored figure only to show (thresholdStored); the page says both, as `models show` does. A catalog key and
 * its variables, numbers through `num` (the interface language's); null without a limit (none stored). Pure: no Svelte.
 */
export function domainLimitText(d: Pick<JominyModelDetail, 'domain' | 'usedElements'>, num: (v: number) => string = (v) => v.toFixed(3)): { key: string; vars: Record<string, string | number> } | null {
  const limit = d.domain.threshold;
  if (limit === undefined) return null;
  const vars = { limit: num(limit), n: d.usedElements.length, elements: d.usedElements.join(' ') };
  const stored = d.domain.thresholdStored;
  return stored === null || stored === undefined ? { key: 'jominy-predictor:domainLimit', vars } : { key: 'jominy-predictor:domainLimitRecomputed', vars: { ...vars, stored: num(stored), all: ELEMENTS.length } };
}
