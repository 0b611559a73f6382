import type { JominyModel } from '../../../../core/api/index.js';
import type { Phrase } from '../../../../core/api/phrase.js';

/**
 * A predictor's 90 % interval coverage as the predictor list words it: the measured percentage, or why there is none
 * in the core's words (coverage90Note: no ensemble; too few held-out heats; not re-measured, stored before the
 * cross-fit calibration) — never a stored number that cannot be told from a one-heat half's false 1.00.
 * `key` words it in an option: the percentage, or the reason's short head (`short`: "not re-measured"), since a closed
 * select cuts a long option at its right edge; `whyKey` words the whole reason (`why`, the core's phrase) for the line
 * under the select. Keys and variables, so each language words the whole phrase.
 */
export function coverageSuffixText(m: Pick<JominyModel, 'coverage90' | 'coverage90Why' | 'coverage90Note'>): { key: string; percent: number | null; short: string | null; whyKey: string | null; why: Phrase | null } {
  if (m.coverage90Why === 'measured' && m.coverage90 !== null) return { key: 'jominy-predictor:coverageMeasured', percent: 100 * m.coverage90, short: null, whyKey: null, why: null };
  return { key: 'jominy-predictor:coverageShortSuffix', percent: null, short: SHORT[m.coverage90Why], whyKey: 'jominy-predictor:coverageNotStated', why: m.coverage90Note };
}

/** The short head of each reason (the core's words begin with it: "not re-measured: stored before …"). */
const SHORT: Record<JominyModel['coverage90Why'], string> = {
  // 'measured' with no number (never stored so; were it): nothing measured to state
  measured: 'jominy-predictor:coverageShort.halfTooSmall',
  'no-ensemble': 'jominy-predictor:coverageShort.noEnsemble',
  'half-too-small': 'jominy-predictor:coverageShort.halfTooSmall',
  'stored-before-cross-fit': 'jominy-predictor:coverageShort.storedBeforeCrossFit',
};
