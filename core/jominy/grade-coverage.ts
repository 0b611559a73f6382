import { JominyPredictor, type PredictorModel } from './predictor.js';
import type { PointNet } from './predictor-model.js';
import type { JominySample } from './dataset.js';
import { chemRowsOf, pointsBatch, spreadAtPoints, type Calibration } from './calibration.js';
import { heatGrades } from './heat-split.js';
import { createRng, deriveSeed } from '../runtime/random.js';

/**
 * Coverage by grade: the stated held-out coverage of the 90 % interval (calibration.ts) is measured on test heats drawn
 * at random, so their grades are grades the networks learnt from. A plant designs for, and meets, grades too: a grade
 * the networks never saw is the harder case (a session measured 0.888 on random held-out heats vs 0.708 on a grade left
 * out). Here, for each grade with enough heats, the predictor's networks (same inputs and hidden sizes — those were
 * chosen with the grade in, a small leak, said in the words) are refitted without the grade's heats, with a few
 * bootstrap members for the spread, and the STORED interval rule — ŷ ± z·k_p·√(sdEns² + τ_p²), the stored k_p and
 * τ_p — is counted on the readings of the grade's heats. Few members (LOGO_MEMBERS) keep it cheap; their spread is
 * noisier than the full ensemble's, which widens the interval's scatter, so the figure is a check, not the interval.
 */
export interface GradeCoverage {
  method: 'leave-one-grade-out refits, stored k and τ';
  nominal: number;
  /** Bootstrap members per refit (the spread); one more refit on all the remaining heats gives ŷ. */
  members: number;
  /** Per grade left out: its heats, measured readings at the model's points and how many the interval covered. */
  grades: { grade: string; heats: number; readings: number; covered: number }[];
  readings: number;
  covered: number;
  /** Wall time of the refits, seconds (measured). */
  seconds: number;
}

export const LOGO_MEMBERS = 3;
/** Heats a grade needs to be left out and counted (fewer: its coverage share would say little). */
export const MIN_GRADE_HEATS = 10;

/** One refit's weights and scaling per point (as an ensemble member stores them). */
type MemberNets = Pick<PointNet, 'weights' | 'xMin' | 'xMax' | 'yMin' | 'yMax' | 'gamma'>[];

export interface GradeCoverageInput {
  samples: JominySample[];
  model: PredictorModel;
  calibration: Calibration;
  /** Heat of each row (heat-split.ts heatKeys), as the predictor took them. */
  keys: readonly string[];
  /** Dataset column of each model point. */
  cols: readonly number[];
  /** Refits the predictor's networks on these rows (ensemble.ts fitMember). */
  fit: (rows: number[], seed: number) => MemberNets;
  checkCancelled?: () => void;
}

/** Null when fewer than two grades have MIN_GRADE_HEATS heats (no grade can be left out and compared). */
export function gradeCoverage({ samples, model, calibration: cal, keys, cols, fit, checkCancelled }: GradeCoverageInput): GradeCoverage | null {
  const t0 = Date.now();
  const k = cal.kPoints;
  const tau = cal.tauPoints;
  const P = model.nets.length;
  if (!k || !tau || k.length !== P || tau.length !== P) return null;
  const grades = heatGrades(samples, keys);
  const heatsOf = new Map<string, Set<string>>();
  samples.forEach((_, i) => {
    const g = grades[i];
    if (g === null || g === '') return;
    if (!heatsOf.has(g)) heatsOf.set(g, new Set());
    heatsOf.get(g)!.add(keys[i]);
  });
  const eligible = [...heatsOf.entries()].filter(([, h]) => h.size >= MIN_GRADE_HEATS).map(([g]) => g).sort();
  if (eligible.length < 2) return null;
  const held = new Set(model.split.testIndices);
  const z = cal.z90;
  const out: GradeCoverage['grades'] = [];
  eligible.forEach((g, gi) => {
    checkCancelled?.();
    // the rows the networks learnt from (the predictor's training and validation heats), less this grade's
    const rest = samples.map((_, i) => i).filter((i) => !held.has(i) && grades[i] !== g);
    // every model point needs readings among them, or its network has nothing to fit
    if (cols.some((c) => !rest.some((i) => Number.isFinite(samples[i].hardness[c])))) return;
    const groups = new Map<string, number[]>();
    for (const i of rest) groups.set(keys[i], [...(groups.get(keys[i]) ?? []), i]);
    const restGroups = [...groups.values()];
    const asPredictor = (nets: MemberNets) => new JominyPredictor({ ...model, nets: model.nets.map((n, p) => ({ ...n, ...nets[p] })) });
    const centre = asPredictor(fit(rest, deriveSeed(model.seed, 3000 + 16 * gi)));
    const members = Array.from({ length: LOGO_MEMBERS }, (_, m) => {
      const seed = deriveSeed(model.seed, 3001 + 16 * gi + m);
      const rng = createRng(seed);
      return asPredictor(fit(Array.from({ length: restGroups.length }, () => restGroups[rng.int(restGroups.length)]).flat(), seed));
    });
    const rows = samples.map((_, i) => i).filter((i) => grades[i] === g);
    const chems = chemRowsOf(samples, rows);
    const yHat = pointsBatch(centre, chems, rows.length);
    const { sd } = spreadAtPoints(members, chems, rows.length, P);
    let readings = 0;
    let covered = 0;
    rows.forEach((i, s) => {
      for (let p = 0; p < P; p++) {
        const y = samples[i].hardness[cols[p]];
        if (!Number.isFinite(y)) continue;
        const o = s * P + p;
        readings++;
        if (Math.abs((y as number) - yHat[o]) <= z * k[p] * Math.sqrt(sd[o] ** 2 + tau[p] ** 2)) covered++;
      }
    });
    if (readings) out.push({ grade: g, heats: heatsOf.get(g)!.size, readings, covered });
  });
  if (out.length < 2) return null;
  return {
    method: 'leave-one-grade-out refits, stored k and τ',
    nominal: cal.nominal,
    members: LOGO_MEMBERS,
    grades: out,
    readings: out.reduce((a, r) => a + r.readings, 0),
    covered: out.reduce((a, r) => a + r.covered, 0),
    seconds: (Date.now() - t0) / 1000,
  };
}
