import { DISTANCES_MM, ELEMENTS, type Element } from './elements.js';
import type { InputScore, SelectionOptions } from './input-selection.js';
import { nearestThreshold, type DomainModel } from './domain.js';
import type { SkillReport, SplitMode } from './baselines.js';
import type { InputHeats } from './element-gaps.js';
import type { BelowScalePoint } from './below-scale.js';

/** The stored form of a hierarchical Jominy predictor (the JSON file of a `models` row of kind jominy). */

export interface PointNet {
  /** Index of the model point this network predicts (into `modelDistances(model)`). */
  point: number;
  elements: Element[];
  /** Earlier model points whose predicted hardness feeds this network. */
  points: number[];
  nh: number;
  weights: number[];
  /** mapminmax scaling of the inputs (elements then points) and the target. */
  xMin: number[];
  xMax: number[];
  yMin: number;
  yMax: number;
  /** Effective number of parameters (Bayesian regularisation) and the weight count. */
  gamma: number;
  nw: number;
  /** The exhaustive hidden-size search: validation MAE (HRC) per Nh. */
  search: { nh: number; valMae: number; gamma: number }[];
  scores: InputScore[];
  /** Heats that measured this point, per split (the network trained on the training ones only). Absent in v1 files. */
  heats?: { train: number; validation: number; test: number };
}

export interface PointMetrics {
  distanceMm: number;
  mae: number;
  maxError: number;
  r2: number;
  /** The ASTM A255 reference model on the same test heats (heats it can compute). */
  refMae: number | null;
  refMaxError: number | null;
  refR2: number | null;
  /** Test heats that measured the point (absent in v1 files: every test heat). */
  n?: number;
}

/** A distance of the dataset no network was trained for: too few heats measured it. */
export interface SkippedPoint {
  distanceMm: number;
  label: string;
  /** Heats that measured it per split; in a file stored before `rows` (2026-12-01), its rows. */
  heats: { train: number; validation: number; test: number };
  /** Rows that measured it per split (absent in files stored before: their `heats` counted rows). */
  rows?: { train: number; validation: number; test: number };
}

export interface PredictorModel {
  format: 'ferrolab-jominy-predictor';
  /** 1: the 15 standard points and 15 elements; 2: the dataset's own points and elements (fields below). */
  version: 1 | 2;
  seed: number;
  nets: PointNet[];
  domain: DomainModel;
  /** `mode` absent in files written before it existed: those were random splits. */
  /**
   * train/validation/test: rows per split; `heats`: distinct heats per split (rows sharing a heat id are one heat),
   * absent in files written before it was counted.
   */
  split: { train: number; validation: number; test: number; heats?: { train: number; validation: number; test: number }; testFraction: number; validationFraction: number; testIndices: number[]; mode?: SplitMode };
  training: { epochs: number; maxHidden: number; selection: SelectionOptions; minPointHeats?: { train: number; validation: number; test: number } };
  metrics: {
    points: PointMetrics[];
    mae: number;
    maxError: number;
    r2: number;
    refMae: number | null;
    /** Distinct test heats the A255 reference scored (rows sharing a heat are one; rows in a predictor stored before refRows). */
    refHeats: number;
    /** Test rows the A255 reference scored; absent in predictors stored before heats were counted here (2026-12-01). */
    refRows?: number;
    /** Model vs training-mean / grade-mean / A255 baselines on the same test heats (absent in older files). */
    skill?: SkillReport;
  };
  /** v2: the model's points, mm (nets[k] predicts at distancesMm[k]), their labels as the dataset names them. */
  distancesMm?: number[];
  labels?: string[];
  /** v2: the dataset's elements; no network takes any other. */
  elements?: Element[];
  /** v2: the dataset's distances left out for too few heats. */
  skipped?: SkippedPoint[];
  /**
   * The dataset's element gaps as the model met them (element-gaps.ts): elements not taken for too few analysed
   * heats, heats left out for lacking an input element. Every figure of the model is on the used heats only.
   * Absent in files trained before gaps were allowed. `elements` above then lists the input elements only.
   */
  inputHeats?: InputHeats;
  /**
   * The dataset's distances where heats read below 20 HRC were left out on import (below-scale.ts), with whether the
   * share biases the network and baselines there high — counted over the model's own heats (`belowScaleOver`). null:
   * not recorded — the dataset's count (imported before it). With `belowScaleNotRecorded` 'perHeat' (a dataset imported
   * before heats were recorded heat by heat, whose heats the model does not all take) the dataset's own points, over
   * its heats (`belowScaleOver` absent); null there for a model trained before task 27-L. Absent in files trained
   * before the count existed.
   */
  belowScale?: BelowScalePoint[] | null;
  /** 'model': `belowScale` is judged over the heats this model takes (task 27-C); absent: over its dataset's heats (stored before). */
  belowScaleOver?: 'model';
  belowScaleNotRecorded?: 'perHeat';
}

/** The model's points in mm (the 15 standard distances for a v1 file). */
export const modelDistances = (m: Pick<PredictorModel, 'distancesMm'>): number[] => m.distancesMm ?? [...DISTANCES_MM];
export const modelLabels = (m: Pick<PredictorModel, 'distancesMm' | 'labels'>): string[] => m.labels ?? modelDistances(m).map((d) => `J${d}`);

/** Elements at least one of the model's networks takes, in ELEMENTS order; the others cannot change its output. */
export function usedElements(model: Pick<PredictorModel, 'nets'>): Element[] {
  const used = new Set<string>(model.nets.flatMap((n) => n.elements));
  return ELEMENTS.filter((el) => used.has(el));
}

/**
 * The model's domain over the elements its networks use (domain.ts `used`). A predictor stored before the mask gets it
 * here, from its stored networks' inputs, and its threshold recomputed from the stored standardised points over the
 * mask — the stored figure (over all 15 elements, inflated by elements no network takes) is kept as `storedThreshold`
 * and never used. Done in place, once, so every reader of `model.domain` (predict, the GA, its workers) sees the same.
 */
export function withUsedDomain<M extends Pick<PredictorModel, 'nets' | 'domain'>>(model: M): M {
  if (model.domain.used) return model;
  const used = new Set<string>(usedElements(model));
  const mask = ELEMENTS.map((el) => used.has(el));
  model.domain = { ...model.domain, used: mask, storedThreshold: model.domain.threshold, threshold: nearestThreshold(model.domain.points, mask) };
  return model;
}
