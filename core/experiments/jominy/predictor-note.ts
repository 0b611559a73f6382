import { phrase, type Phrase } from '../../api/phrase.js';

/**
 * The reproduction's words on the predictor it trained: heats counted as heats (heat-split.ts heatKeys, keyed on the
 * dataset's full rows), their rows beside them where a retest or second bar makes them differ, and the targets as
 * curves — a retest is a second target curve of its heat (the report had said "74 heats" of 37 heats' 74 rows).
 */
export interface PredictorCounts {
  heats: number;
  rows: number;
  /** Target curves: the predictor's held-out test rows. */
  targets: number;
  /** The heats those curves are of. */
  targetHeats: number;
}

/** Counts from the heat of each training row and the predictor's test row indices. */
export function predictorCounts(keys: readonly string[], testIndices: readonly number[]): PredictorCounts {
  return { heats: new Set(keys).size, rows: keys.length, targets: testIndices.length, targetHeats: new Set(testIndices.map((i) => keys[i])).size };
}

/** "training the predictor on N heats (in R rows)". */
export function predictorProgress(c: PredictorCounts, seed: number): Phrase {
  return c.heats === c.rows ? phrase('expNotes.progress.predictor', { heats: c.heats, seed }) : phrase('expNotes.progress.predictorRows', { heats: c.heats, rows: c.rows, seed });
}

/** The note on the predictor and its targets; `quick`: the quick budget's smaller network. */
export function predictorNote(c: PredictorCounts, seed: number, quick: { hidden: number; epochs: number | string } | null): Phrase {
  // one row a heat and one curve a target heat: the words rows always had
  const same = c.heats === c.rows && c.targetHeats === c.targets;
  const { heats, rows, targets, targetHeats } = c;
  if (quick) {
    const { hidden, epochs } = quick;
    return same
      ? phrase('expNotes.jominy.predictorQuick', { heats, seed, hidden, epochs, targets })
      : phrase('expNotes.jominy.predictorQuickRows', { heats, rows, seed, hidden, epochs, targets, targetHeats });
  }
  return same ? phrase('expNotes.jominy.predictor', { heats, seed, targets }) : phrase('expNotes.jominy.predictorRows', { heats, rows, seed, targets, targetHeats });
}
