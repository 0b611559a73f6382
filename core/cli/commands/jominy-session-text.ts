import type { DesignSession, DesignSessionSummary, SessionPredictor } from '../../api/methods/jominy.js';
import { DISTANCES_MM, ELEMENTS, POINT_MARK_SIGN, markWarnings } from '../../jominy/index.js';
import { rangesText } from './jominy-grade-lookup.js';
import { designUncertaintyLines } from './jominy-uncertainty.js';
import { english } from '../../runtime/english.js';

/**
 * What `jominy design` and `jominy sessions show` print of a session, and `jominy sessions`' line per session.
 * Footnote marks, one meaning each across the CLI: `*` a point capped at the martensite maximum, `~` beyond the
 * predictor's points (predict), `≈` no network there (a skipped point, read between its neighbours), `<` below 20 HRC
 * where the Rockwell C scale ends (core/jominy/point-marks.ts), `†` a P(meet band) whose calibration is not measured
 * (jominy-uncertainty.ts).
 */

/**
 * The line under a table with capped points (marked *): the prediction was above what martensite of that carbon can
 * be. Under a design, `targetMm` names the capped distances the target counts (a blank or weight 0 is not designed
 * for, so it is not named there).
 */
export const cappedNote = (max: number, carbon: number | undefined, targetMm?: readonly number[]) =>
  `* capped at ${max.toFixed(1)} HRC, the as-quenched hardness of 100 % martensite at ${carbon === undefined ? '?' : +carbon.toFixed(4)} wt.% C: the network predicted more` +
  (targetMm === undefined ? '' : targetMm.length ? `; where the target counts: ${targetMm.join(', ')} mm` : '; at no distance the target counts');

/** The predictor that made a session; when deleted, that the session is a record and cannot be run again. */
export function predictorText(p: SessionPredictor): string {
  if (!p.deleted) return `predictor #${p.id} (${p.name ?? '?'})`;
  const which = p.id === null ? 'a predictor that was deleted (before sessions recorded which)' : `predictor #${p.id} (${p.name ?? '?'}), which was deleted`;
  return `made with ${which}: a record of that run (its numbers are that predictor's); it cannot be run again`;
}

const f1 = (v: number | null | undefined) => (v === null || v === undefined ? '   –' : v.toFixed(1).padStart(5));

/** A session made with a predictor trained on synthetic data says so beside its name; unknown is said too. */
export const syntheticTag = (synthetic: boolean | null | undefined) => (synthetic ? ' (SYNTHETIC)' : synthetic === false ? '' : ' (synthetic or not: not recorded)');

/** One line of `jominy sessions`. */
export function sessionListLine(s: DesignSessionSummary): string {
  const p = s.predictor.deleted ? `; ${predictorText(s.predictor)}` : `, ${predictorText(s.predictor)}`;
  return (
    `${String(s.id).padStart(4)}  ${s.state.padEnd(11)}  ${s.name}${syntheticTag(s.synthetic)}  (${s.targetKind}, seed ${s.seed}${s.bestDeviation === null ? '' : `, best predicted deviation ${s.bestDeviation.toFixed(3)} HRC`}${p})` +
    (s.state === 'interrupted' ? `  found interrupted ${s.interruptedAt} (its process ended before it finished)` : '')
  );
}

/**
 * What became of a session's run: a draft was never run; a run that failed gives its error (the catalog's words where
 * it was a worded refusal), one found interrupted when and why; how far each got.
 */
/** Why a run ended, in words: the code alone ("12 generations (generations)") read as a stutter. */
const STOP_WORDS: Record<NonNullable<NonNullable<DesignSession['run']>['stopReason']>, string> = {
  generations: 'the set number of generations run',
  stalled: 'stopped early: the best no longer improved (Stall K)',
};

export function runStateText(x: DesignSession): string {
  const r = x.run;
  if (!r) return 'draft: not run';
  const work = `${r.generations} generations${r.stopReason ? ` (${STOP_WORDS[r.stopReason]})` : ''}, ${r.evaluations} profile evaluations in ${(r.durationMs / 1000).toFixed(1)} s`;
  switch (r.state) {
    case 'done':
      return work;
    case 'running':
      return `running: ${work} so far`;
    case 'failed':
      return `failed after ${work}: ${r.errorPhrase ? english(r.errorPhrase) : (r.error ?? 'no error recorded')}`;
    case 'cancelled':
      return `cancelled after ${work}`;
    case 'interrupted':
      return `interrupted after ${work}: found interrupted ${x.interruptedAt ?? '(time not recorded)'} (its process ended before it finished)`;
  }
}

/** A session with its ranked designs, the best design's curve beside the target and A255, and the ensemble's figures. */
export function sessionText(x: DesignSession): string {
  const lines = [`session ${x.id}: ${x.name}${syntheticTag(x.synthetic)}; seed ${x.seed}; search ${x.run?.ga.search ?? 'paper-ga'}; ${runStateText(x)}`];
  lines.push(predictorText(x.predictor));
  if (x.settings.rangesFrom) lines.push(x.settings.grade ? `${x.settings.rangesFrom} (${rangesText(x.settings.grade)})` : x.settings.rangesFrom);
  if (x.run?.held?.length) lines.push(`not searched, the predictor does not use them or uses them beyond the priors C, Mn, Si, Cr, Ni, Mo, B: ${x.run.held.join(', ')} (each design carries the median of the training heats most like it)`);
  // An element the predictor's dataset lacks is not stated (–), never 0.
  const wt = (el: string, v: number | undefined) => (v === undefined ? '–' : el === 'B' ? v.toFixed(5) : v.toFixed(4)).padStart(8);
  if (!x.results.length) lines.push('no designs stored');
  else lines.push(`rank  dev HRC  cost   domain  ${ELEMENTS.map((e) => e.padStart(8)).join('')}`);
  for (const r of x.results) lines.push(`${String(r.rank).padStart(4)} ${r.deviation.toFixed(3).padStart(8)} ${r.costTerm.toFixed(3).padStart(6)}  ${r.domain.inDomain ? '  in  ' : '  OUT '}  ${ELEMENTS.map((e) => wt(e, r.chemistry[e])).join('')}`);
  const odd = x.results.filter((r) => r.domain.uncoveredPairs?.length);
  for (const r of odd) lines.push(`rank ${r.rank}: element pairs in a combination no training heat has: ${r.domain.uncoveredPairs!.map((p) => p.elements.join('–')).join(', ')}`);
  const best = x.results[0];
  if (best) {
    lines.push('  mm  target   best  A255(best)');
    DISTANCES_MM.forEach((d, i) => {
      const t = x.target.kind === 'curve' ? f1(x.target.hardness[i]) : `${f1(x.target.min[i])}…${f1(x.target.max[i])}`;
      // a value that is no prediction carries its mark (sessions.get fills marks; a row without them, its stored flags)
      const mark = best.marks?.[i] ? POINT_MARK_SIGN[best.marks[i]!] : best.capped?.[i] ? POINT_MARK_SIGN.capped : best.outside?.[i] ? POINT_MARK_SIGN.held : ' ';
      lines.push(`${String(d).padStart(4)} ${t.padStart(6)} ${f1(best.profile[i])}${mark}${f1(best.reference?.[i]).padStart(10)}`);
    });
    const counts = x.countedPoints ?? DISTANCES_MM.map(() => true);
    if (best.capped?.some(Boolean)) lines.push(cappedNote(Math.max(...best.profile.filter((_, i) => best.capped![i])), best.chemistry.C, DISTANCES_MM.filter((_, i) => best.capped![i] && counts[i])));
    if (best.outside?.some(Boolean)) lines.push("~ beyond the predictor's first or last point (its dataset did not reach there): the end value is held, not predicted, and not designed for");
    if (best.marks?.includes('noNetwork')) lines.push('≈ no network there (the point was skipped for too few heats): the value is read between the neighbouring points, not predicted');
    if (best.marks?.includes('belowScale')) lines.push('< below 20 HRC, where the Rockwell C scale ends: no reading lies there, so the networks only extrapolate — not a predicted hardness');
  }
  // every design's values that are no prediction, by why (the table above shows the best design's)
  lines.push(...markWarnings(x.results));
  lines.push(...designUncertaintyLines(x));
  return lines.join('\n');
}
