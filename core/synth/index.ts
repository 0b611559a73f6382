/**
 * Reproducible synthetic 600 mm billet sections with their true carbon field (segregation.md §1.4):
 * the embedded demo and the test data. Everything produced here is labelled synthetic.
 */
export {
  generateSyntheticBillet,
  syntheticTrueField,
  syntheticReadings,
  DEFAULT_ANALYZER,
  DEFAULT_SYNTH_SIZE_PX,
  DEFAULT_SYNTH_DIAMETER_MM,
  SYNTH_GENERATOR,
  type SyntheticBillet,
  type SyntheticBilletOptions,
  type SyntheticReading,
  type AnalyzerModel,
} from './billet.js';
export { SYNTHETIC_VARIANTS, buildCarbonField, drawFieldParams, type SyntheticVariant, type FieldParams, type FieldStats, type CarbonField } from './field.js';
export type { RenderParams } from './render.js';
export { writeSyntheticBillet, syntheticSectionPng, readingsCsv, truthJson, SYNTHETIC_LABEL } from './write.js';
export { readSyntheticSection, type SyntheticSectionInfo } from './section-label.js';
// The synthetic billets' stream (sfc32 with forks), under the name tests and tools use.
export { createForkingRng as createRng, type ForkingRng as Rng } from '../runtime/random.js';
