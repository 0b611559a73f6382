import { phrase, type Phrase } from '../api/phrase.js';
import { CALIBRATION_VERSION } from './calibration.js';

/**
 * Why a stored predictor's 90 % interval coverage is the number it is, or why there is none: measured by the
 * current cross-fit; no ensemble (no interval at all); not measured (a cross-fit half had too few held-out heats to
 * calibrate); or stored before the cross-fit that can say so (2026-11-30), when a one-heat half read a false 1.00 —
 * such a number cannot be told from a measured one, so it is not shown as measured. Only retraining measures it.
 */
export type CoverageWhy = 'measured' | 'no-ensemble' | 'half-too-small' | 'stored-before-cross-fit';

/** What a predictor stored of its ensemble's calibration (its file's or its row's copy). */
export interface StoredCoverage {
  coverage: number | null;
  /** Calibration.version (CALIBRATION_VERSION), absent when stored before it was written. */
  version?: number;
}

/**
 * The reason for a stored coverage. `splitHeatsStored`: the predictor stores distinct heats per split
 * (split.heats) — written only by code that already had the cross-fit's null (it came after, in the same session),
 * so a predictor with it and without `version` was calibrated the current way. A null coverage was only ever written
 * by the current cross-fit (the older one always gave a number). A predictor calibrated the current way but stored
 * in the minutes before split.heats existed reads as stored before: the safe side (retraining measures it).
 */
export function coverageWhy(stored: StoredCoverage | null | undefined, splitHeatsStored: boolean): CoverageWhy {
  if (!stored) return 'no-ensemble';
  if (stored.coverage === null || stored.coverage === undefined) return 'half-too-small';
  if ((stored.version ?? 0) >= CALIBRATION_VERSION || splitHeatsStored) return 'measured';
  return 'stored-before-cross-fit';
}

/** The coverage to state: the stored number only when measured, else null with the reason in words. */
export function statedCoverage(stored: StoredCoverage | null | undefined, splitHeatsStored: boolean): { coverage: number | null; coverageWhy: CoverageWhy; coverageNote: Phrase | null } {
  const why = coverageWhy(stored, splitHeatsStored);
  return { coverage: why === 'measured' ? stored!.coverage : null, coverageWhy: why, coverageNote: coverageNote(why) };
}

/**
 * What a P(meet band) says of its calibration: it is computed from the same interval scale (k, ρ) as the interval, so
 * when that scale's coverage is not measured the probability's is not either. It is kept (designs are still ranked by
 * it, and a robust run optimised it) with this caveat beside it; null when measured (and without an ensemble, when
 * there is no probability).
 */
export function meetCalibration(why: CoverageWhy): { calibrationWhy: CoverageWhy; calibrationNote: Phrase | null } {
  const note = why === 'half-too-small' ? phrase('jominy.meetCaveat.halfTooSmall') : why === 'stored-before-cross-fit' ? phrase('jominy.meetCaveat.storedBeforeCrossFit') : null;
  return { calibrationWhy: why, calibrationNote: note };
}

/** Why there is no coverage to state, in words (null when measured). */
export function coverageNote(why: CoverageWhy): Phrase | null {
  switch (why) {
    case 'measured':
      return null;
    case 'no-ensemble':
      return phrase('jominy.coverage.noEnsemble');
    case 'half-too-small':
      return phrase('jominy.coverage.halfTooSmall');
    case 'stored-before-cross-fit':
      return phrase('jominy.coverage.storedBeforeCrossFit');
  }
}
