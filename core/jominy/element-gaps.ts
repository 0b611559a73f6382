import type { Element } from './elements.js';
import type { JominySample } from './dataset.js';
import { heatKeys } from './heat-split.js';
import { phrase, plain, type Phrase } from '../api/phrase.js';
import { english } from '../runtime/english.js';
import { RefusedError } from '../runtime/refused.js';

/**
 * Heats that did not analyse an element the dataset has (an empty cell, or the declared missing marker, in a
 * present element column): real plant files have such gaps (B or Mo not analysed on some heats). The value is
 * missing — never 0, never imputed. The rule a model follows (issue 12):
 *  1. an element analysed on fewer than `minShare` of the dataset's heats (default 80 %) is not an input of
 *     the dataset's models: too few heats would be left to learn from if it were;
 *  2. C is always an input whatever its share (the martensite cap and A255 are functions of it);
 *  3. every network, ensemble member, calibration, evaluation split and baseline uses only the heats that
 *     analysed EVERY remaining input (complete cases): a heat lacking one is left out, counted and named.
 * Imputing (e.g. the grade median) was not done: nothing here can show that a filled-in B is honest, and B at
 * 0.0005 vs 0.003 wt.% changes hardenability more than most of the chemistry the networks see.
 */
export const DEFAULT_MIN_ELEMENT_SHARE = 0.8;

export interface ElementCount {
  element: Element;
  /** Heats that analysed it. */
  measured: number;
  /** Heats with an empty (or declared-missing) cell. */
  missing: number;
  /** measured / heats. */
  share: number;
  /** Whether a model trained with `minShare` takes it as a candidate input. */
  input: boolean;
}

export interface ElementCoverage {
  /** Distinct heats (heat-split.ts heatKeys: a retest or second bar of a heat is one heat), and the rows they have. */
  heats: number;
  rows: number;
  minShare: number;
  /** The dataset's elements, in its order. */
  elements: ElementCount[];
}

/** Heats that analysed each of the dataset's elements, and which of them a model would take at `minShare`. */
export function elementCoverage(samples: readonly Pick<JominySample, 'chemistry' | 'heatId' | 'grade'>[], elements: readonly Element[], minShare = DEFAULT_MIN_ELEMENT_SHARE): ElementCoverage {
  // Counted per heat, not per row: a heat's retest is no second heat (160 rows of 150 heats had read "of 160"); a heat
  // analysed an element when any of its rows did.
  const keys = heatKeys(samples);
  const heats = new Set(keys).size;
  return {
    heats,
    rows: samples.length,
    minShare,
    elements: elements.map((element) => {
      const measured = new Set(keys.filter((_, i) => typeof samples[i].chemistry[element] === 'number' && Number.isFinite(samples[i].chemistry[element]))).size;
      const share = heats ? measured / heats : 0;
      return { element, measured, missing: heats - measured, share, input: element === 'C' || share >= minShare - 1e-12 };
    }),
  };
}

/** What a model of a dataset with gaps takes: stored with the model and shown beside it (UI, CLI JSON). */
export interface InputHeats {
  minShare: number;
  /** Heats in the dataset. */
  datasetHeats: number;
  /** Heats the model learnt and was scored on (every input element analysed). */
  usedHeats: number;
  /** The dataset's elements that are candidate inputs. */
  inputElements: Element[];
  /** Elements below the threshold: not inputs (their heats are kept). */
  dropped: { element: Element; measured: number; share: number }[];
  /** Heats left out: none of their rows analysed every input element (a heat with one such row is used). */
  leftOut: number;
  /** Per input element with gaps: left-out heats with a row that lacks it (a heat lacking two is counted under both). */
  leftOutBy: { element: Element; heats: number }[];
  /**
   * Rows left out within used heats: a retest or second bar lacking an input element its heat's other row has. Absent
   * in a plan stored before it (whose leftOut counted such a heat as left out, and as used).
   */
  rowsLeftOutInUsed?: number;
}

/**
 * The heats and elements a model of this dataset trains on. The returned heats carry only the input elements'
 * values (a dropped element is absent for every heat, as one the dataset never analysed), so no 0 can stand in
 * for a gap anywhere downstream. `keys`: the heat of each returned row, keyed on the full rows (heatKeys) — the
 * keying of the plan's counts and the dataset's heats, for the trainer to take (TrainOptions.heatKeys): keyed again
 * on the restricted rows, two id-less rows differing only in a dropped element became one heat (28 where the service
 * counted 32).
 */
export function planInputHeats(samples: readonly JominySample[], elements: readonly Element[], minShare = DEFAULT_MIN_ELEMENT_SHARE): { plan: InputHeats; samples: JominySample[]; keys: string[] } {
  if (!(minShare >= 0 && minShare <= 1)) throw RefusedError.said('invalid_argument', phrase('jominyDomain.minShare', { share: String(minShare) }), { field: 'minElementShare' });
  const cov = elementCoverage(samples, elements, minShare);
  const inputElements = cov.elements.filter((e) => e.input).map((e) => e.element);
  const has = (s: JominySample, el: Element) => typeof s.chemistry[el] === 'number' && Number.isFinite(s.chemistry[el]);
  const complete = (s: JominySample) => inputElements.every((el) => has(s, el));
  const kept = samples.filter(complete);
  // Heats, not rows (heatKeys): a heat is used when any of its rows is (that row is learnt from), left out only when
  // none is — a heat whose retest lacked Mo and whose first row had it had been counted both used and left out.
  const keys = heatKeys(samples);
  const keptKeys = keys.filter((_, i) => complete(samples[i]));
  const usedKeys = new Set(keys.filter((_, i) => complete(samples[i])));
  const outRows = samples.map((_, i) => i).filter((i) => !usedKeys.has(keys[i]));
  const outHeats = (rows: number[]) => new Set(rows.map((i) => keys[i])).size;
  const plan: InputHeats = {
    minShare,
    datasetHeats: cov.heats,
    usedHeats: usedKeys.size,
    inputElements,
    dropped: cov.elements.filter((e) => !e.input).map(({ element, measured, share }) => ({ element, measured, share })),
    leftOut: outHeats(outRows),
    leftOutBy: inputElements.map((element) => ({ element, heats: outHeats(outRows.filter((i) => !has(samples[i], element))) })).filter((x) => x.heats > 0),
    rowsLeftOutInUsed: samples.length - kept.length - outRows.length,
  };
  // Nothing dropped: the kept heats already hold exactly the input elements (taken as they are, so a dataset
  // without gaps trains on the very same objects, fingerprint included).
  if (plan.dropped.length === 0) return { plan, samples: kept, keys: keptKeys };
  const restricted = kept.map((s) => ({ ...s, chemistry: Object.fromEntries(inputElements.map((el) => [el, s.chemistry[el]!])) as JominySample['chemistry'] }));
  return { plan, samples: restricted, keys: keptKeys };
}

/** A share in per cent with up to one decimal (a number, so each language writes its decimal mark). */
const pct = (v: number) => plain(+(100 * v).toFixed(1));

/** The plan in words (CLI, job messages): which elements are not inputs and why, and which heats were left out. */
export function describeInputHeats(p: InputHeats): string[] {
  return inputHeatsPhrases(p).map(english);
}

/** The same sentences as phrase codes (a training job's messages, worded in the interface language). */
export function inputHeatsPhrases(p: InputHeats): Phrase[] {
  const out: Phrase[] = [];
  for (const d of p.dropped)
    out.push(phrase('jominyJobs.notInput', { el: d.element, measured: d.measured, heats: p.datasetHeats, share: pct(d.share), min: pct(p.minShare) }));
  // one element (the usual case) in the sentence's own words; several as "Ni: 12, Mo: 5", the same in every language
  if (p.leftOut > 0 && p.leftOutBy.length === 1)
    out.push(phrase('jominyJobs.leftOutOne', { leftOut: p.leftOut, heats: p.datasetHeats, el: p.leftOutBy[0].element, n: p.leftOutBy[0].heats, used: p.usedHeats }));
  else if (p.leftOut > 0)
    out.push(phrase('jominyJobs.leftOut', { leftOut: p.leftOut, heats: p.datasetHeats, by: p.leftOutBy.map((x) => `${x.element}: ${x.heats}`).join(', '), used: p.usedHeats }));
  // rows of used heats that lack an input element their heat's other row has: not learnt from, their heat still is
  if (p.rowsLeftOutInUsed) out.push(phrase('jominyJobs.rowsLeftOutInUsed', { rows: p.rowsLeftOutInUsed, used: p.usedHeats }));
  return out;
}
