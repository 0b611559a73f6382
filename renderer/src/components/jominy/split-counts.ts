import type { JominyModelDetail } from '../../../../core/api/index.js';

/**
 * The predictor page's split sizes with their unit, as `jominy models show` writes them (core/cli/commands/jominy.ts
 * splitCounts): heats per split (rows sharing a heat id are one heat), with the rows beside them where a heat has
 * several; a predictor trained before heats were counted (splitHeats null) gives its rows, labelled rows.
 * Returns the catalog key and its variables, so each language words the whole phrase.
 */
export function splitCountsText(d: Pick<JominyModelDetail, 'split' | 'splitHeats'>): { key: string; vars: Record<string, number> } {
  const h = d.splitHeats, s = d.split;
  if (!h) return { key: 'jominy-predictor:splitRows', vars: { ...s } };
  if (h.train === s.train && h.validation === s.validation && h.test === s.test) return { key: 'jominy-predictor:splitHeats', vars: { ...h } };
  return { key: 'jominy-predictor:splitHeatsRows', vars: { train: h.train, validation: h.validation, test: h.test, rowsTrain: s.train, rowsValidation: s.validation, rowsTest: s.test } };
}
