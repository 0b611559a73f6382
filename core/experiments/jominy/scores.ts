import { chemToArray, type Element } from '../../jominy/elements.js';
import { elementIndices, profileIndices, type ElementIndex, type ProfileIndices } from '../../jominy/metrics.js';
import type { JominySample } from '../../jominy/dataset.js';
import type { RunRecord } from './runs.js';

/** A run's records scored with the paper's indices (metrics.ts), against the predictor and, when known, the truth. */
export interface ScoredRun {
  record: RunRecord;
  /** Eqs. 4–10 of the predictor's curves at the designs against the targets' measured curves. */
  profile: ProfileIndices;
  /** The same with the generating model's curves at the designs (synthetic data only): the honest error. */
  truth: ProfileIndices | null;
  /** Eqs. 11–12 and Table 11's averages, for the dataset's own elements. */
  elements: ElementIndex[];
  outOfDomain: number;
  meanCostTerm: number;
}

export interface ScoreContext {
  targets: JominySample[];
  /** [El]_max of Eq. 12 (ELEMENTS order). */
  elMax: number[];
  elements: Element[];
  truthModel: ((chem: number[]) => number[]) | null;
}

export function scoreRun(record: RunRecord, sc: ScoreContext): ScoredRun {
  const measured = sc.targets.map((t) => t.hardness);
  const real = sc.targets.map((t) => chemToArray(t.chemistry));
  return {
    record,
    profile: profileIndices(record.profile, measured),
    truth: sc.truthModel ? profileIndices(record.chemistry.map(sc.truthModel), measured) : null,
    elements: elementIndices(record.chemistry, real, sc.elMax).filter((e) => sc.elements.includes(e.element)),
    outOfDomain: record.inDomain.filter((x) => !x).length,
    meanCostTerm: record.costTerm.reduce((a, b) => a + b, 0) / record.costTerm.length,
  };
}

export const cellKey = (r: number, alpha: number): string => `r${r}-a${alpha}`;
