import type { DesignResultRow, MeetCheckWhy } from '../../api/methods/jominy.js';
import { meetRangeMcOnly } from '../../api/jominy-meet-range.js';

/**
 * How `jominy design` / `sessions show` print a P(meet band) (core/jominy/meet-uncertainty.ts): the probability with,
 * in brackets, the range it rests on — the widest of its Monte Carlo error, its calibration range and its held-out
 * check — never the Monte Carlo ± alone as if it were the probability's precision. A row stored before the range
 * (2026-12-01) has only the Monte Carlo ±: printed as it was, marked ‡, and the footnote says what that ± is. A range
 * with neither a calibration range nor a held-out check (a predictor that kept no held-out cells) is the Monte Carlo
 * error alone though printed like a full one: marked ‡ too (‡: Monte Carlo only), with its own footnote line.
 */

type Meet = NonNullable<DesignResultRow['meet']>;

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
const bare = (v: number) => (100 * v).toFixed(1);

/** Why a P(meet band) has no held-out check, in the CLI's words. */
export const MEET_CHECK_WHY: Record<Exclude<MeetCheckWhy, 'measured'>, string> = {
  'not-stored': 'the predictor was trained before it kept its held-out readings (2026-12-01); retrain to check',
  'band-off-points': 'the band bounds a distance no held-out heat measured (not among the predictor\'s points)',
  'half-too-small': 'a cross-fit half has too few held-out readings at a bounded distance to fit k there',
  'too-few-heats': 'fewer than 10 held-out heats measured every bounded distance',
  sixteenths: "the predictor's distances are sixteenths of an inch (J-number × 1.5875 mm), none at the standard mm distances a band bounds, so a sixteenths predictor never gets this check",
};

/**
 * The table cell: "96.9 % (90.8–99.9)", a Monte-Carlo-only range's "96.9 % (96.1–97.7)‡", or a stored-before row's
 * "96.9 % ± 0.4 %‡" (Monte Carlo error only).
 */
export function meetCell(m: Meet): string {
  return m.range ? `${pct(m.p)} (${bare(m.range[0])}–${bare(m.range[1])})${meetRangeMcOnly(m) ? '‡' : ''}` : `${pct(m.p)} ± ${pct(m.se)}‡`;
}

/** The lines under the table: what the range is, the best design's parts of it, and the ‡ footnote where it applies. */
export function meetLines(results: readonly DesignResultRow[]): string[] {
  const lines: string[] = [];
  const best = results[0]?.meet;
  if (results.some((r) => r.meet?.range)) lines.push('P(meet band) (range): the range is the widest of its Monte Carlo error (± 2 se), its calibration range and its held-out check; the best design\'s:');
  if (best?.range) {
    const cal = best.calibrationRange ? `calibration range ${bare(best.calibrationRange[0])}–${pct(best.calibrationRange[1])} (k and ρ refitted on ${best.replicates} resamples of the held-out heats)` : 'calibration range: none (the predictor kept no held-out readings)';
    const h = best.heldOut;
    const check = h
      ? `held-out check of its band shape around ${h.heats} held-out heats' predicted curves (at their chemistry, no melt tolerance): P said ${pct(h.meanP)} at the cross-fit halves' k${h.meanPStored === undefined ? ' (not the stored k the design\'s P is taken at)' : ` (${pct(h.meanPStored)} at the stored k the design's P is taken at, fitted on these heats)`}, ${pct(h.share)} met (${bare(h.lo)}–${pct(h.hi)}, Wilson 90 %)`
      : `held-out check: none — ${MEET_CHECK_WHY[(best.heldOutWhy ?? 'not-stored') as Exclude<MeetCheckWhy, 'measured'>] ?? best.heldOutWhy}`;
    lines.push(`  ${pct(best.p)}: Monte Carlo ± ${pct(best.se)}; ${cal}; ${check}`);
  }
  const mcOnly = results.find((r) => r.meet && meetRangeMcOnly(r.meet))?.meet;
  if (mcOnly) lines.push(`‡ P(meet band) range: the Monte Carlo error of its draws only (± 2 se), not the probability's precision: neither a calibration range nor a held-out check is in it (held-out check: none — ${MEET_CHECK_WHY[(mcOnly.heldOutWhy ?? 'not-stored') as Exclude<MeetCheckWhy, 'measured'>] ?? mcOnly.heldOutWhy})`);
  if (results.some((r) => r.meet && !r.meet.range)) lines.push('‡ P(meet band) ±: the Monte Carlo error of its draws only, nothing of its calibration (stored before P(meet band) carried its calibration range and held-out check, 2026-12-01); run the design again to state them');
  return lines;
}
