/**
 * "Measure fewer points" (issue 11 §6): propose K points of a new billet to analyse, correct a model's level
 * (and, where the points show it, its slope) with their readings, and the held-out curve of expected MAE
 * against K. Plain data in and out; the workflow over the store is core/services/fewer-points.
 */
export { proposePoints, DEFAULT_VALUE_WEIGHT, TTA_SPREAD_WIDTH_WEIGHT, type ProposalDesign, type CandidatePoint, type ProposeOptions, type Proposal } from './propose.js';
export { fitCorrection, correctedValue, correctionSe, correctedHalfWidth, MIN_SLOPE_K, type AnalysedPair, type Correction, type CorrectionKind, type CorrectionOptions, type SlopeTest } from './correct.js';
export { expectedMaeByK, curveFloor, STANDARD_KS, type KCurveFloor, type MeasuredPoint, type KCurve, type KCurveOptions, type KCurveRow, type KSelection, type CorrectionMethod } from './k-curve.js';
export { correctField, type CorrectedField } from './correct-field.js';
export { fitResidualVariogram, fitKrigedCorrection, krigedValue, pureNugget, type ResidualSample, type ResidualVariogram, type VariogramBin, type KrigedCorrection, type KrigedValue, type PlacedPair } from './residual-kriging.js';
export { normalQuantile, tQuantile } from './quantiles.js';
export { curveApplicability, billetOutsideRange, MAX_OUTSIDE_SHARE, MIN_OUTSIDE_COUNT, LEVEL_SHIFT_Z, OWN_CHECK_Z, OWN_CHECK_MIN_DRAWS, type Applicability, type ApplicabilityInput, type CarbonRange } from './applicability.js';
export { leaveOneOut, looRatioSpread, MIN_LOO_K, LOO_RATIO_SPREADS, type LeaveOneOut, type LeaveOneOutPoint } from './leave-one-out.js';
export { chooseCorrection, candidateSpecs, candidateLoo, candidateName, fitChosen, choiceSeMultiple, MIN_CHOICE_SLOPE_K, CHOICE_LOO_RATIO_SPREADS, choiceLooRatioSpread, type CandidateSpec, type CandidateScore, type ChoiceOptions, type CorrectionChoice } from './choose.js';
