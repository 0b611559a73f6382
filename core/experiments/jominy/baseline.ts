import { N_ELEMENTS, chemToArray } from '../../jominy/elements.js';
import { JominyPredictor } from '../../jominy/predictor.js';
import type { PredictorModel } from '../../jominy/predictor-model.js';
import type { JominySample } from '../../jominy/dataset.js';

/**
 * The baseline beside the GA (beyond the paper): no search, the plant's own history. For each target, the
 * training heat whose predicted curve is closest to it (Eq. 1) is proposed as the design. A GA that does not beat
 * this lookup has found nothing a metallurgist with the heat records could not; one that beats it against the
 * predictor but not against the generating model has found the predictor's errors.
 * The training chemistries are the domain model's standardised points, mapped back to wt.%.
 */
export function closestTrainingHeat(model: PredictorModel, targets: JominySample[]): { chemistry: number[][]; profile: number[][] } {
  const d = model.domain;
  const n = d.points.length / N_ELEMENTS;
  const chems = Array.from({ length: n }, (_, i) => Array.from({ length: N_ELEMENTS }, (_, j) => d.mean[j] + d.std[j] * d.points[i * N_ELEMENTS + j]));
  const predictor = new JominyPredictor(model);
  const curves = chems.map((c) => predictor.predict(c));
  const chemistry: number[][] = [];
  const profile: number[][] = [];
  for (const t of targets) {
    let best = 0;
    let bestDev = Infinity;
    curves.forEach((c, k) => {
      let dev = 0;
      for (let i = 0; i < c.length; i++) dev += Math.abs(c[i] - t.hardness[i]);
      if (dev < bestDev) [best, bestDev] = [k, dev];
    });
    chemistry.push(chems[best]);
    profile.push(curves[best]);
  }
  return { chemistry, profile };
}

/**
 * The reference: each target heat's own chemistry as the "design". Against the predictor it scores the
 * predictor's own error on those heats; against the generating model, the heats' measurement noise.
 */
export function ownChemistry(model: PredictorModel, targets: JominySample[]): { chemistry: number[][]; profile: number[][] } {
  const predictor = new JominyPredictor(model);
  const chemistry = targets.map((t) => chemToArray(t.chemistry));
  return { chemistry, profile: chemistry.map((c) => predictor.predict(c)) };
}
