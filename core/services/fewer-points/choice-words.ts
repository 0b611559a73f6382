import type { CorrectionChoice as ChoiceView } from '../../api/methods/fewer-points.js';
import { candidateName, MIN_LOO_K, type CandidateSpec, type CorrectionChoice, type CarbonRange } from '../../segregation/fewer-points/index.js';
import { fixed, phrase, type Phrase } from '../../api/phrase.js';
import { english } from '../../runtime/english.js';
import type { SampleLabel } from '../../api/methods/cnn.js';
import { readingsSamplePhrase } from './own-check.js';

/**
 * The correction chosen on the billet's own readings (task 21-C, core/segregation/fewer-points/choose.ts) as the
 * contract shows it, with the sentences the view, the CLI and the corrected map's note (PDF) say: what was chosen and
 * by which rule, why the uncorrected model was no candidate (readings outside the training range), and every
 * candidate's leave-one-out MAE against the best.
 */

/** A candidate's name as a sentence part, in the reader's language. */
export function candidatePhrase(spec: CandidateSpec): Phrase {
  if (spec.trend === 'none') return spec.kriging ? phrase('fewerChoice.name.noneKriging') : phrase('fewerChoice.name.none');
  if (spec.trend === 'level') return spec.kriging ? phrase('fewerChoice.name.levelKriging') : phrase('fewerChoice.name.level');
  return spec.kriging ? phrase('fewerChoice.name.levelSlopeKriging') : phrase('fewerChoice.name.levelSlope');
}

/** The words of a choice (`sample`: what the K readings are to the model, said of the uncorrected candidate's error); with fewer than MIN_LOO_K readings (no choice) the sentence that says so. */
export function choiceView(c: CorrectionChoice | null, k: number, range: CarbonRange | null, sample: SampleLabel = 'held-out'): ChoiceView | null {
  if (!c) return null;
  const chosen = c.candidates[c.chosen];
  const best = c.candidates[c.best];
  const words: Phrase[] = [phrase('fewerChoice.chosen', { k: c.k, candidate: candidatePhrase(chosen), multiple: fixed(c.seMultiple, 2), best: candidatePhrase(best), bestMae: fixed(best.looMae, 4), sample: readingsSamplePhrase(sample) })];
  if (c.outsideRange && range) words.push(phrase('fewerChoice.outside', { outside: c.analysedOutside, k, min: fixed(range.min, 3), max: fixed(range.max, 3) }));
  for (const s of c.candidates) {
    words.push(s.allowed
      ? phrase('fewerChoice.score', { candidate: candidatePhrase(s), mae: fixed(s.looMae, 4), excess: fixed(s.excess, 4), se: fixed(s.excessSe, 4) })
      : phrase('fewerChoice.notCandidate', { candidate: candidatePhrase(s), mae: fixed(s.looMae, 4) }));
  }
  return {
    rule: c.rule,
    seMultiple: c.seMultiple,
    k: c.k,
    outsideRange: c.outsideRange,
    analysedOutside: c.analysedOutside,
    candidates: c.candidates.map((s) => ({ name: candidateName(s), trend: s.trend, kriging: s.kriging, looMae: s.looMae, coverage: s.coverage, excess: s.excess, excessSe: s.excessSe, allowed: s.allowed })),
    chosen: c.chosen,
    best: c.best,
    chosenName: candidateName(chosen),
    words,
    english: words.map((w) => english(w)).join(' '),
  };
}

/** What the note says when there was nothing to choose on (one reading). */
export function noChoiceWords(k: number): Phrase[] {
  return [phrase('fewerChoice.tooFew', { k, min: MIN_LOO_K })];
}
