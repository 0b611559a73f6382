import { ApiError } from '../../api/errors.js';
import { phrase } from '../../api/phrase.js';
import type { Output } from '../../api/contract.js';
import type { ChemistryInput } from '../../api/methods/jominy.js';
import { missingElementsProblem } from '../../api/jominy-chemistry.js';
import { A255_IGNORED, ELEMENTS, a255Profile, arrayToChem, chemToArray, checkDomain, ensembleOf, statedCoverage, lowestPointCoverage, modelDistances, biasedHighAtStandard } from '../../jominy/index.js';
import { asApiError } from './errors.js';
import { wilsonInterval } from '../../jominy/normal.js';
import { biasedHighNotRecorded, biasedHighOf, standardLayout, type PredictorStore } from './predictors.js';

/** A predicted curve of one chemistry (capped at martensite), with the A255 reference and the domain check. */

/** Elements the A255 calculation takes (it leaves out A255_IGNORED). */
export const A255_USED = ELEMENTS.filter((el) => !A255_IGNORED.includes(el));

export function createPredictService(predictors: PredictorStore) {
  return {
    predict(modelId: number, chemistry: ChemistryInput): Output<'jominy.predict'> {
      const { predictor, model } = predictors.load(modelId);
      // A missing element is never read as 0: only one no network takes may be left out.
      const lacking = predictor.usedElements().filter((el) => chemistry[el] === undefined);
      if (lacking.length) {
        const elements = lacking.join(', ');
        throw ApiError.said('invalid_argument', lacking.length > 1 ? phrase('jominyErrors.missingForPredictor', { elements, id: modelId }) : phrase('jominyErrors.missingForPredictorOne', { elements, id: modelId }), { field: 'chemistry' });
      }
      const given = ELEMENTS.map((el) => chemistry[el] !== undefined);
      const omitted = ELEMENTS.filter((_, j) => !given[j]);
      // Omitted elements are unused by the predictor, so any value gives the same curve; 0 only fills the array.
      const c = chemToArray(chemistry);
      let reference = null;
      let referenceError: string | null = missingElementsProblem(chemistry, A255_USED, 'the A255 reference');
      if (!referenceError) {
        try {
          reference = a255Profile(arrayToChem(c));
        } catch (e) {
          referenceError = (e as Error).message;
        }
      }
      const { profile, capped, martensiteMaxHrc, outside } = predictor.predictDetailed(c);
      const flagged = biasedHighOf(model);
      return { profile, capped, martensiteMaxHrc, outside, omitted, reference, referenceError, domain: checkDomain(model.domain, c, omitted.length ? given : undefined), interval: intervalOf(model, c), biasedHigh: biasedHighAtStandard(modelDistances(model), flagged.map((p) => p.distanceMm)), biasedHighNotes: flagged.map((p) => p.phrase), biasedHighNotRecorded: biasedHighNotRecorded(model) };
    },

    /** The ASTM A255 curve alone; every element it takes must be given. */
    reference(chemistry: ChemistryInput): Output<'jominy.reference'> {
      const lacking = A255_USED.filter((el) => chemistry[el] === undefined);
      if (lacking.length) {
        const elements = lacking.join(', ');
        throw ApiError.said('invalid_argument', lacking.length > 1 ? phrase('jominyErrors.missingForA255', { elements }) : phrase('jominyErrors.missingForA255One', { elements }), { field: 'chemistry' });
      }
      try {
        return a255Profile(arrayToChem(chemToArray(chemistry)));
      } catch (e) {
        return asApiError(e);
      }
    },
  };
}

/**
 * The ensemble's calibrated 90 % interval of a chemistry's curve (null without an ensemble), with the coverage it was
 * measured to have — null, and why, when not measured or stored before the cross-fit calibration (coverage-why.ts).
 */
export function intervalOf(model: Parameters<typeof ensembleOf>[0], chem: number[]) {
  const ens = ensembleOf(model);
  if (!ens) return null;
  const { sd, sdEnsemble, lo, hi } = ens.interval(chem);
  const c = ens.ensemble.calibration;
  const stated = statedCoverage(c, model.split.heats !== undefined);
  // a calibration stored before it kept its points, on another layout than the 15 standard distances, scored curves read
  // there by PCHIP: its lowest "distance" may be one no heat measured, so none is named (models show says why)
  const interpolated = c.pointsMm === undefined && !standardLayout(modelDistances(model), (model.skipped ?? []).map((p) => p.distanceMm));
  const readings = c.coverageReadings ?? c.cells;
  const g = ens.ensemble.gradeCoverage;
  return {
    sd, sdEnsemble, lo, hi, nominal: c.nominal, ...stated, coverageLowest: stated.coverageWhy === 'measured' && !interpolated ? lowestPointCoverage(c) : null, perDistance: c.kStd !== undefined,
    coverageReadings: stated.coverage === null ? null : readings,
    coverageWilson: stated.coverage === null ? null : wilsonInterval(stated.coverage, readings),
    gradeCoverage: g ? { coverage: g.covered / g.readings, readings: g.readings, grades: g.grades.length, wilson: wilsonInterval(g.covered / g.readings, g.readings) } : null,
  };
}
