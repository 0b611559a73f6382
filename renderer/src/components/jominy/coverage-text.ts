import type { JominyModel } from '../../../../core/api/index.js';
import type { Phrase } from '../../../../core/api/phrase.js';

/**
 * A predictor's 90 % interval coverage as the predictor list words it: the measured percentage, or why there is none
 * in the core's words (coverage90Note: no ensemble; too few held-out heats; not re-measured, stored before the
 * cross-fit calibration) — never a stored number that cannot be told from a one-heat half's false 1.00.
 * Returns the catalog key and its variables (the percentage, the reason), so each language words the whole phrase.
 */
export function coverageSuffixText(m: Pick<JominyModel, 'coverage90' | 'coverage90Why' | 'coverage90Note'>): { key: string; percent: number | null; why: Phrase | null } {
  if (m.coverage90Why === 'measured' && m.coverage90 !== null) return { key: 'jominy-predictor:coverageMeasured', percent: 100 * m.coverage90, why: null };
  return { key: 'jominy-predictor:coverageNotStated', percent: null, why: m.coverage90Note };
}
