import type { DesignSession, JominyModel, JominyModelDetail } from '../../api/methods/jominy.js';
import type { Phrase } from '../../api/phrase.js';
import { parseChemistryText } from '../../api/jominy-chemistry.js';
import { DISTANCES_MM } from '../../jominy/elements.js';
import { wilsonInterval } from '../../jominy/normal.js';
import { english } from '../../runtime/english.js';
import { biasedHighLine } from '../../jominy/below-scale.js';
import { POINT_MARK_SIGN, meanHalfWidth } from '../../jominy/point-marks.js';
import { UsageError } from '../command.js';
import { meetCell, meetLines } from './jominy-meet-text.js';

/** What `jominy models show`/`list` and `jominy design` print of the ensemble: calibration, intervals, P(meet band), trust settings. */

const pct = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : `${(100 * v).toFixed(1)} %`);

/**
 * A stated coverage: the measured number, or why there is none in the core's words (not measured: too few held-out
 * heats; not re-measured: stored before the cross-fit calibration; none: no ensemble).
 */
export function coverageText(c: { coverage: number | null; coverageNote: Phrase | null }): string {
  return c.coverage !== null ? pct(c.coverage) : c.coverageNote ? english(c.coverageNote) : '–';
}

/**
 * A coverage share with its count and Wilson 90 % interval: "88.8 % of 412 held-out readings, Wilson 90 % 86.1–91.1 %".
 * Readings of one heat are correlated, so a heat-level interval would be wider.
 */
export function coverageCount(share: number, readings: number, wilson?: readonly [number, number] | null): string {
  const [lo, hi] = wilson ?? wilsonInterval(share, readings);
  return `${pct(share)} of ${readings} held-out readings, Wilson 90 % ${(100 * lo).toFixed(1)}–${(100 * hi).toFixed(1)} %`;
}

/**
 * A curve's interval coverage as `predict` and `design` state it: the random split's with count and Wilson interval
 * (or why there is none), and beside it the coverage on grades left out of training where measured.
 */
export function intervalCoverageText(i: { coverage: number | null; coverageNote: Phrase | null; coverageReadings?: number | null; coverageWilson?: readonly [number, number] | null; gradeCoverage?: { coverage: number; readings: number; grades: number; wilson: readonly [number, number] } | null }): string {
  const known = i.coverage !== null && i.coverageReadings ? `${coverageCount(i.coverage, i.coverageReadings, i.coverageWilson)} (held-out heats of known grades)` : coverageText(i);
  const g = i.gradeCoverage;
  return g ? `${known}; on a grade not in training ${coverageCount(g.coverage, g.readings, g.wilson)} over ${g.grades} grades left out` : known;
}

/** The interval's coverage on grades left out of training, beside the random split's (grade-coverage.ts). */
function gradeCoverageLines(u: NonNullable<JominyModelDetail['uncertainty']>): string[] {
  const g = u.gradeCoverage;
  if (g === undefined) return [];
  if (g === null) return ['coverage on a grade not in training: not measured (fewer than two grades with enough heats, or stored before it was measured)'];
  return [
    `coverage on a grade not in training (networks refitted without it, same inputs and sizes; ${g.members} bootstrap members for the spread; the stored k and τ; ${g.seconds.toFixed(1)} s): ${coverageCount(g.coverage, g.readings, g.wilson)} over ${g.grades.length} grades`,
    ...g.grades.map((r) => `  ${r.grade} (${r.heats} heats): ${coverageCount(r.coverage, r.readings, r.wilson)}`),
  ];
}

/**
 * One line of `jominy models list`: the held-out MAE, the split, the skill and the 90 % coverage with its count and
 * Wilson interval, or why there is none; a row stored before the readings count was says so (no interval without it).
 */
export function modelListLine(m: JominyModel): string {
  const split = m.splitMode === 'by-grade' ? 'by-grade' : m.splitMode === 'by-order' ? 'by-order' : 'random';
  const skill = m.skill === null ? '' : `, skill ${(m.skill >= 0 ? '+' : '') + m.skill.toFixed(2)}`;
  const ensemble = m.ensembleSize ? `ensemble of ${m.ensembleSize}, ` : '';
  return `${m.id}  ${m.name}${m.synthetic ? ' (SYNTHETIC)' : ''}: held-out MAE ${m.mae.toFixed(2)} HRC (${split} split)${skill}; ${ensemble}90 % interval coverage ${m.coverage90 !== null && m.coverage90Readings ? coverageCount(m.coverage90, m.coverage90Readings) : m.coverage90 !== null ? `${pct(m.coverage90)} (count not recorded)` : coverageText({ coverage: m.coverage90, coverageNote: m.coverage90Note })}`;
}

/** The ensemble block of a predictor's report. */
export function uncertaintyLines(r: JominyModelDetail): string[] {
  const u = r.uncertainty;
  if (!u) return ['uncertainty: no ensemble with this predictor (trained before ensembles, or with --ensemble 0): no intervals, no P(meet band)'];
  // a calibration stored before heats were counted gives its test rows, labelled rows
  const held = u.heats === null ? `${u.testRows} test rows` : `${u.heats} test heats${u.testRows !== u.heats ? ` (${u.testRows} rows)` : ''}`;
  return [
    `uncertainty: ensemble of ${u.size} bootstrap re-fits (seeds ${u.seeds.join(', ')}) on ${u.fitHeats === null ? `${u.fitRows} training rows` : `${u.fitHeats} training heats${u.fitRows !== u.fitHeats ? ` (${u.fitRows} rows)` : ''}`}; trained in ${u.trainSeconds.toFixed(1)} s${u.estimatedSeconds === null ? '' : ` (estimated ${u.estimatedSeconds.toFixed(1)} s)`}`,
    u.coverage !== null
      ? `held-out coverage of the nominal ${pct(u.nominal)} interval (held-out heats of known grades, random split): ${coverageCount(u.coverage, u.coverageReadings ?? u.cells, u.coverageWilson)} on ${held} (${u.method}, seed ${u.calibrationSeed}); uncalibrated ${pct(u.rawCoverage)}, scale ${u.scale.toFixed(2)}`
      : `held-out coverage of the nominal ${pct(u.nominal)} interval: ${coverageText(u)} (${u.cells} cells, ${held}; ${u.method}, seed ${u.calibrationSeed}); uncalibrated ${pct(u.rawCoverage)}, scale ${u.scale.toFixed(2)}`,
    ...gradeCoverageLines(u),
    // the pooled coverage can hide a distance covered far less (a tight band there would be met over-confidently)
    ...(u.coverageLowest ? [`lowest per distance: ${pct(u.coverageLowest.coverage)} at ${+u.coverageLowest.distanceMm.toFixed(2)} mm`] : []),
    u.kPoints
      ? `k per distance: its own conformal quantile where ${u.minPointCells} or more held-out readings are there (own), else the pooled k ${u.scale.toFixed(2)} widened to cover its largest residual (pooled-widened)`
      : `k: one pooled k ${u.scale.toFixed(2)} at every distance (calibrated before k per distance; retrain to calibrate per distance)`,
    ...(u.interpolatedCells ? ['note: stored before calibrations were scored on measured readings: its cells are the test heats\' curves read at the 15 standard distances by PCHIP, not readings at the model\'s points (retrain to measure it there)'] : []),
    `  mm  coverage  mean sd HRC${u.kPoints ? '     k  readings  k from' : ''}`,
    ...u.pointsMm.map((d, i) => `${String(+d.toFixed(2)).padStart(4)} ${pct(u.coveragePoints[i]).padStart(9)} ${u.meanSd[i].toFixed(2).padStart(12)}${u.kPoints ? `${u.kPoints[i].toFixed(2).padStart(6)} ${String(u.cellsPoints![i]).padStart(9)}  ${u.pointRule![i]}` : ''}`),
  ];
}

/** `--tolerance "C=0.02,Mn=0.05"`: ± wt.% per element, read by the shared chemistry reader (limits table, same words). */
export function parseTolerances(text: string): Partial<Record<string, number>> {
  const parsed = parseChemistryText(text);
  if (!parsed.ok) throw new UsageError(`--tolerance: ${parsed.errors.join('; ')}`);
  return parsed.value;
}

/**
 * The footnote of the table's "±90 % mean HRC" column: over how many distances each mean was taken (those with a
 * prediction; a marked one has no interval), one count when every design has the same, else per rank; '–' rows (every
 * distance marked) named. Rows without an interval (undefined) are left out; null when no row has one.
 */
export function halfWidthFootnote(rows: readonly { rank: number; half: { hrc: number; distances: number } | null | undefined }[]): string | null {
  const withIv = rows.filter((r) => r.half !== undefined);
  if (!withIv.length) return null;
  const counted = withIv.filter((r) => r.half !== null) as { rank: number; half: { distances: number } }[];
  const none = withIv.filter((r) => r.half === null).map((r) => r.rank);
  const counts = new Set(counted.map((r) => r.half.distances));
  const over = !counted.length ? '' : counts.size === 1 ? `over the ${[...counts][0]} distances with a prediction` : `over the distances with a prediction: ${counted.map((r) => `${r.half.distances} (rank ${r.rank})`).join(', ')}`;
  const dash = none.length ? `${over ? '; ' : ''}– (rank ${none.join(', ')}): every distance is marked, no interval to average` : '';
  return `±90 % mean HRC: ${over}${dash} (a marked value has no interval)`;
}

/** Per design: P(meet band), the interval's mean half-width and the domain distance; then the trust settings used. */
export function designUncertaintyLines(x: DesignSession): string[] {
  const lines: string[] = [];
  const st = x.settings;
  const tol = Object.entries(st.tolerances ?? {}).map(([el, v]) => `${el} ±${v}`).join(', ');
  lines.push(`trust region: sd weight ${st.trust?.sdWeight ?? 0}, domain weight ${x.run?.ga.domainWeight ?? 0}${st.trust?.robustWeight ? `, maximise P(meet band) weight ${st.trust.robustWeight}` : ''}; melt tolerances: ${tol || 'none'}`);
  if (st.trustNote) lines.push(`note: ${st.trustNote}`);
  for (const w of st.weakPoints ?? []) lines.push(`note: ${english(w)}`);
  for (const b of st.biasedHigh?.notes ?? []) lines.push(`WARNING: ${english(b)}`);
  lines.push(biasedHighLine(st.biasedHigh));
  if (!x.results.some((r) => r.interval)) return lines;
  lines.push('rank  P(meet band) (range)  ±90 % mean HRC  domain distance / limit');
  // the mean half-width over the distances with a prediction only: a marked value has no interval to average
  const halves = x.results.map((r) => (r.interval ? meanHalfWidth(r.interval, r.marks) : null));
  x.results.forEach((r, k) => {
    const half = halves[k]?.hrc ?? null;
    // '†': the probability's calibration is not measured (the caveat follows the table); '*' is a capped point's mark;
    // '‡' (meetCell): a stored row whose ± is the Monte Carlo error only
    const meet = r.meet ? `${meetCell(r.meet)}${r.meet.calibrationNote ? '†' : ' '}` : x.target.kind === 'band' ? '–' : 'curve target';
    lines.push(`${String(r.rank).padStart(4)}  ${meet.padStart(21)} ${half === null ? '–'.padStart(14) : half.toFixed(2).padStart(14)}  ${r.domain.inDomain ? 'in ' : 'OUT'} ${r.domain.distance.toFixed(2)} / ${r.domain.threshold.toFixed(2)}`);
  });
  const halfLine = halfWidthFootnote(x.results.map((r, k) => ({ rank: r.rank, half: r.interval ? halves[k] : undefined })));
  if (halfLine) lines.push(halfLine);
  lines.push(...meetLines(x.results));
  const caveat = x.results.find((r) => r.meet?.calibrationNote)?.meet!.calibrationNote;
  if (caveat) lines.push(`† P(meet band): ${english(caveat)}`);
  const best = x.results[0];
  if (best?.interval) {
    const low = best.interval.coverageLowest;
    lines.push(`best design, 90 % interval (held-out coverage ${intervalCoverageText(best.interval)}${low ? `; lowest per distance ${pct(low.coverage)} at ${+low.distanceMm.toFixed(2)} mm` : ''}):`, '  mm  predicted   lo     hi');
    // a value that is no prediction (held, no network, capped, below 20 HRC) has its mark and no interval
    DISTANCES_MM.forEach((d, i) => {
      const mark = best.marks?.[i];
      lines.push(mark ? `${String(d).padStart(4)} ${best.profile[i].toFixed(1).padStart(8)}${POINT_MARK_SIGN[mark]} ${'–'.padStart(6)} ${'–'.padStart(6)}` : `${String(d).padStart(4)} ${best.profile[i].toFixed(1).padStart(9)} ${best.interval!.lo[i].toFixed(1).padStart(6)} ${best.interval!.hi[i].toFixed(1).padStart(6)}`);
    });
  }
  if (best?.meet) lines.push(`P(meet band) by ${best.meet.draws} Monte Carlo draws through the ensemble (seed ${best.meet.seed})`);
  return lines;
}

