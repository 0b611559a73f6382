import { generateSynthetic } from '../../../core/jominy/synth.js';
import { trainPredictor, JominyPredictor } from '../../../core/jominy/predictor.js';

/** A small predictor on synthetic heats: big enough to be meaningful, small enough for unit tests (~1 s). */
export function smallPredictor(n = 300, seed = 1) {
  const samples = generateSynthetic({ n, seed });
  const model = trainPredictor(samples, { seed: 3, maxHidden: 3, epochs: 60 });
  return { samples, model, predictor: new JominyPredictor(model) };
}
