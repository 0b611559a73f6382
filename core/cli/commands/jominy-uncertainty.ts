import type { DesignSession, JominyModelDetail } from '../../api/methods/jominy.js';
import { parseChemistryText } from '../../api/jominy-chemistry.js';
import { DISTANCES_MM } from '../../jominy/elements.js';
import { UsageError } from '../command.js';

/** What `jominy models show` and `jominy design` print of the ensemble: calibration, intervals, P(meet band), trust settings. */

const pct = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : `${(100 * v).toFixed(1)} %`);

/** The ensemble block of a predictor's report. */
export function uncertaintyLines(r: JominyModelDetail): string[] {
  const u = r.uncertainty;
  if (!u) return ['uncertainty: no ensemble with this predictor (trained before ensembles, or with --ensemble 0): no intervals, no P(meet band)'];
  return [
    `uncertainty: ensemble of ${u.size} bootstrap re-fits (seeds ${u.seeds.join(', ')}) on ${u.fitHeats} training heats; trained in ${u.trainSeconds.toFixed(1)} s${u.estimatedSeconds === null ? '' : ` (estimated ${u.estimatedSeconds.toFixed(1)} s)`}`,
    `held-out coverage of the nominal ${pct(u.nominal)} interval: ${u.coverage === null ? 'not measured (too few held-out heats to cross-fit)' : pct(u.coverage)} of ${u.cells} cells on ${u.heats} test heats (${u.method}, seed ${u.calibrationSeed}); uncalibrated ${pct(u.rawCoverage)}, scale ${u.scale.toFixed(2)}`,
    `  mm  coverage  mean sd HRC`,
    ...DISTANCES_MM.map((d, i) => `${String(d).padStart(4)} ${pct(u.coveragePoints[i]).padStart(9)} ${u.meanSd[i].toFixed(2).padStart(12)}`),
  ];
}

/** `--tolerance "C=0.02,Mn=0.05"`: ± wt.% per element, read by the shared chemistry reader (limits table, same words). */
export function parseTolerances(text: string): Partial<Record<string, number>> {
  const parsed = parseChemistryText(text);
  if (!parsed.ok) throw new UsageError(`--tolerance: ${parsed.errors.join('; ')}`);
  return parsed.value;
}

/** Per design: P(meet band), the interval's mean half-width and the domain distance; then the trust settings used. */
export function designUncertaintyLines(x: DesignSession): string[] {
  const lines: string[] = [];
  const st = x.settings;
  const tol = Object.entries(st.tolerances ?? {}).map(([el, v]) => `${el} ±${v}`).join(', ');
  lines.push(`trust region: sd weight ${st.trust?.sdWeight ?? 0}, domain weight ${x.run?.ga.domainWeight ?? 0}${st.trust?.robustWeight ? `, maximise P(meet band) weight ${st.trust.robustWeight}` : ''}; melt tolerances: ${tol || 'none'}`);
  if (st.trustNote) lines.push(`note: ${st.trustNote}`);
  if (!x.results.some((r) => r.interval)) return lines;
  lines.push('rank  P(meet band)  ±90 % mean HRC  domain distance / limit');
  for (const r of x.results) {
    const half = r.interval ? r.interval.hi.reduce((a, hi, i) => a + (hi - r.interval!.lo[i]) / 2, 0) / r.interval.hi.length : null;
    const meet = r.meet ? `${pct(r.meet.p)} ± ${pct(r.meet.se)}` : x.target.kind === 'band' ? '–' : 'curve target';
    lines.push(`${String(r.rank).padStart(4)}  ${meet.padStart(12)}  ${half === null ? '–'.padStart(14) : half.toFixed(2).padStart(14)}  ${r.domain.inDomain ? 'in ' : 'OUT'} ${r.domain.distance.toFixed(2)} / ${r.domain.threshold.toFixed(2)}`);
  }
  const best = x.results[0];
  if (best?.interval) {
    lines.push(`best design, 90 % interval (held-out coverage ${best.interval.coverage === null ? 'not measured: too few held-out heats' : pct(best.interval.coverage)}):`, '  mm  predicted   lo     hi');
    DISTANCES_MM.forEach((d, i) => lines.push(`${String(d).padStart(4)} ${best.profile[i].toFixed(1).padStart(9)} ${best.interval!.lo[i].toFixed(1).padStart(6)} ${best.interval!.hi[i].toFixed(1).padStart(6)}`));
  }
  if (best?.meet) lines.push(`P(meet band) by ${best.meet.draws} Monte Carlo draws through the ensemble (seed ${best.meet.seed})`);
  return lines;
}
