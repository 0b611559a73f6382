import type { SkillReport } from './baselines.js';
import { phrase, fixed, type Phrase } from '../api/phrase.js';

/**
 * A point network that learnt nothing a lab can use at its distance: its held-out MAE there is not below the mean
 * baseline's — the mean of the training heats of the heat's grade (where the data has grades; in a by-grade split the
 * mean of the other grades), else of all training heats. Such a network predicts the held-out heats no better than
 * the data's own average curve does, so its chemistry response there is noise; its other points may be fine. (plant
 * seed 3: the 1.5 mm network ended nearly flat, γ 0.6 effective parameters, held-out MAE 2.90 HRC beside the grade
 * mean's 1.99, where seed 4's scored 0.79.) The A255 reference is not the yardstick: it computes the quench end from
 * carbon, so it matches sound networks there (seeds 4 and 7: 0.79 and 0.68 HRC, skill over A255 −0.01 and −0.05)
 * without their being weak.
 */
export interface WeakPoint {
  distanceMm: number;
  /** Held-out MAE of the model and of the mean baseline at this distance (HRC), on the test heats that measured it. */
  mae: number;
  baseline: 'grade-mean' | 'training-mean';
  baselineMae: number;
  /** Held-out readings at it: the test rows that measured it (a retested heat's rows each count). */
  heats: number;
  /** Effective parameters of the point's network (γ of Bayesian regularisation; null when not stored). */
  gamma: number | null;
}

/** The weak point networks of a skill report (in distance order); `gammas` per point as the report's points. */
export function weakPoints(report: Pick<SkillReport, 'points'>, gammas: readonly (number | null)[] = []): WeakPoint[] {
  const out: WeakPoint[] = [];
  report.points.forEach((p, k) => {
    const grade = p.gradeMean !== null;
    const base = grade ? p.gradeMean! : p.trainMean;
    if (!(p.model.mae >= base.mae)) return;
    out.push({ distanceMm: p.distanceMm, mae: p.model.mae, baseline: grade ? 'grade-mean' : 'training-mean', baselineMae: base.mae, heats: p.n, gamma: gammas[k] ?? null });
  });
  return out;
}

/** One weak point in words (CLI, predictor page, design notes). */
export function weakPointPhrase(w: WeakPoint, mm: string): Phrase {
  const params = { mm, mae: fixed(w.mae, 2), base: fixed(w.baselineMae, 2), heats: w.heats, gamma: w.gamma === null ? '–' : fixed(w.gamma, 1) };
  return w.baseline === 'grade-mean' ? phrase('jominy.weakPoint.gradeMean', params) : phrase('jominy.weakPoint.trainingMean', params);
}
