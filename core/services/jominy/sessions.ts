import type { CoverageWhy, DesignSession } from '../../api/methods/jominy.js';
import { DISTANCES_MM, ELEMENTS, biasedHighLine, countedPoints, coverageNote, markWarnings, markedMm, meetCalibration, pointMarks } from '../../jominy/index.js';
import type { JominyServiceDeps } from './deps.js';
import { modelSummary } from './predictors.js';
import { safeFileName } from '../../runtime/file-name.js';
import { english } from '../../runtime/english.js';
import { meetRangeMcOnly } from '../../api/jominy-meet-range.js';
import Papa from 'papaparse';

/** Saved design sessions: list, rename, duplicate (a copy keeps its run and results), delete, export as JSON or CSV. */


export function createSessionsService({ repos, bus }: JominyServiceDeps) {
  const repo = repos.sessions;
  const changed = (id: number) => bus.emit({ type: 'data-changed', entity: 'jominy-session', id });

  /**
   * A stored session with its intervals' coverage as stated now. Results stored before an interval carried its
   * coverageWhy take their predictor's (its row; ids are never reused): a predictor stored before the cross-fit
   * calibration has its number withheld (core/jominy/coverage-why.ts). With the predictor deleted, a stored null was
   * the current cross-fit's (too few held-out heats) and a stored number cannot be told from a false 1.00: withheld.
   * A P(meet band) stored without its calibration takes its interval's as stated here (same scale).
   * The stored rows are not rewritten.
   */
  function read(id: number): DesignSession {
    const stored = repo.getSession(id);
    // the distances the target counts, for the capped-point notes (a blank or weight 0 is not designed for)
    // and per result why a value is no prediction to print as a number (held, no network, capped, below 20 HRC)
    const s = { ...stored, synthetic: stored.synthetic ?? null, countedPoints: countedPoints(stored.target, stored.settings.weights), results: stored.results.map((r) => ({ ...r, marks: pointMarks(r) })) };
    if (!s.results.some((r) => (r.interval && r.interval.coverageWhy === undefined) || (r.meet && r.meet.calibrationWhy === undefined))) return s;
    const modelWhy = s.modelId === null ? null : modelSummary(repos.models.getModel(s.modelId)).coverage90Why;
    const storedWhy = (coverage: number | null): CoverageWhy =>
      coverage === null ? 'half-too-small' : modelWhy === null || modelWhy === 'no-ensemble' ? 'stored-before-cross-fit' : modelWhy;
    return {
      ...s,
      results: s.results.map((r) => {
        let out = r;
        if (r.interval && r.interval.coverageWhy === undefined) {
          const why = storedWhy(r.interval.coverage);
          out = { ...out, interval: { ...r.interval, coverage: why === 'measured' ? r.interval.coverage : null, coverageWhy: why, coverageNote: coverageNote(why) } };
        }
        // a P(meet band) always came with an interval (both need the ensemble); without one, nothing says it was measured
        if (r.meet && r.meet.calibrationWhy === undefined) out = { ...out, meet: { ...r.meet, ...meetCalibration(out.interval?.coverageWhy ?? 'stored-before-cross-fit') } };
        return out;
      }),
    };
  }

  return {
    list: () => repo.listSessions(),
    get: read,
    rename(id: number, name: string): DesignSession {
      repo.renameSession(id, name);
      changed(id);
      return read(id);
    },
    duplicate(id: number, name?: string): DesignSession {
      const copy = repo.duplicateSession(id, name ?? `${repo.getSession(id).name} (copy)`);
      changed(copy);
      return read(copy);
    },
    remove(id: number): { deleted: true } {
      repo.deleteSession(id);
      changed(id);
      return { deleted: true as const };
    },
    export(id: number, format: 'json' | 'csv'): { filename: string; mime: string; content: string } {
      const s = read(id);
      const base = `jominy-session-${s.id}-${safeFileName(s.name, { fallback: 'session' })}`;
      if (format === 'json') return { filename: `${base}.json`, mime: 'application/json', content: JSON.stringify({ format: 'ferrolab-jominy-session', version: 1, session: s }, null, 2) };
      const header = ['rank', 'objective', 'deviation_hrc', 'weighted_deviation_hrc', 'cost_term', 'in_domain', 'domain_distance', ...ELEMENTS, ...DISTANCES_MM.map((d) => `J${d}`), ...DISTANCES_MM.map((d) => `A255_J${d}`), 'p_meet_band', ...DISTANCES_MM.map((d) => `sd_J${d}`), 'p_meet_band_calibration', 'held_end_value_mm', 'p_meet_band_lo', 'p_meet_band_hi', 'p_meet_band_mc_se', 'p_meet_band_heldout', 'capped_mm', 'no_network_mm', 'below_scale_mm'];
      const rows = s.results.map((r) => [
        r.rank, +r.objective.toFixed(4), +r.deviation.toFixed(4), +r.weightedDeviation.toFixed(4), +r.costTerm.toFixed(5), r.domain.inDomain, +r.domain.distance.toFixed(3),
        ...ELEMENTS.map((el) => (r.chemistry[el] === undefined ? null : +r.chemistry[el]!.toPrecision(5))), ...r.profile.map((h) => +h.toFixed(2)), ...DISTANCES_MM.map((_, i) => (r.reference ? +r.reference[i].toFixed(2) : null)),
        // P(meet band), the calibrated sd of the curve (the 90 % interval is ± 1.645 sd): empty without an ensemble,
        // and whether P(meet band)'s calibration was measured (its interval's coverageWhy). That last column came
        // later: at the end, so readers of the earlier columns by position (sd_J*) still read them.
        // no sd where the value is no prediction (held, no network, capped, below 20 HRC: the *_mm columns say which)
        r.meet ? +r.meet.p.toFixed(4) : null, ...DISTANCES_MM.map((_, i) => (r.interval && !r.marks?.[i] ? +r.interval.sd[i].toFixed(3) : null)), r.meet?.calibrationWhy ?? null,
        // the J* values at distances beyond the predictor's points are its end value held, not predicted (added last)
        r.outside?.some(Boolean) ? DISTANCES_MM.filter((_, i) => r.outside![i]).join(' ') : null,
        // what P(meet band) rests on (added last): its stated range, its Monte Carlo error alone, its held-out check
        ...meetColumns(r.meet),
        // the J* values that are no prediction, by why (added last; held_end_value_mm above is the fourth kind)
        ...(['capped', 'noNetwork', 'belowScale'] as const).map((m) => markedMm(r.marks, m).join(' ') || null),
      ]);
      const lines: string[] = [
        // whether these are the generator's numbers, on the first line, where no reader misses it
        `# ${s.synthetic ? 'SYNTHETIC ' : ''}Ferrolab Jominy design session ${s.id}: ${s.name.replace(/[\r\n]+/g, ' ')}${syntheticNote(s.synthetic)}`,
        // which predictor's numbers these are; one deleted since is named with its recorded id and name
        `# predictor ${s.predictor.id === null ? 'unknown (deleted before sessions recorded it)' : `${s.predictor.id} (${(s.predictor.name ?? '?').replace(/[\r\n]+/g, ' ')})${s.predictor.deleted ? ', deleted since: this session is a record of its run' : ''}`}; seed ${s.seed}; target ${JSON.stringify(s.target)}`,
        // The sd_J* columns are an interval: say what it covers, as the JSON export and the screen do.
        ...intervalLine(s),
        ...meetLine(s),
        // the J* values a flagged distance holds are biased high (heats below 20 HRC left out there): said as the screen does
        `# ${biasedHighLine(s.settings.biasedHigh)}`,
        ...markWarnings(s.results).map((w) => `# ${w}`),
        Papa.unparse([header, ...rows], { newline: '\n' }),
      ];
      return { filename: `${base}.csv`, mime: 'text/csv', content: lines.join('\n') + '\n' };
    },
  };
}

/** The first line's word on synthetic data: made with a synthetic predictor, or that it is not recorded. */
function syntheticNote(synthetic: boolean | null | undefined): string {
  if (synthetic) return " (made with a predictor trained on synthetic data: the generator's numbers, not steel's)";
  return synthetic === false ? '' : ' (whether its predictor was trained on synthetic data: not recorded, deleted before sessions kept it)';
}

/**
 * P(meet band)'s columns: the range (the widest of the Monte Carlo error, the calibration range and the held-out check;
 * empty for a row stored before it, and for a range that has neither a calibration range nor a held-out check), the Monte Carlo se alone, and the held-out check as words (or why there is none).
 */
function meetColumns(m: DesignSession['results'][number]['meet']): (number | string | null)[] {
  if (!m) return [null, null, null, null];
  const check = m.heldOut
    ? `${m.heldOut.heats} held-out heats: P ${m.heldOut.meanP.toFixed(3)} at the cross-fit halves' k${m.heldOut.meanPStored === undefined ? '' : ` (${m.heldOut.meanPStored.toFixed(3)} at the stored k)`}; met ${m.heldOut.share.toFixed(3)} (${m.heldOut.lo.toFixed(3)}-${m.heldOut.hi.toFixed(3)})`
    : m.heldOutWhy ?? 'stored before the check';
  // a range with neither a calibration range nor a held-out check is p ± 2 se: its lo/hi are left empty, as a row's
  // stored before ranges were, so no reader takes the Monte Carlo error for the probability's range
  const range = m.range && !meetRangeMcOnly(m) ? m.range : null;
  return [range ? +range[0].toFixed(4) : null, range ? +range[1].toFixed(4) : null, +m.se.toFixed(4), check];
}

/** The CSV's comment line on P(meet band): what its range is and what its se is not. */
function meetLine(s: DesignSession): string[] {
  if (!s.results.some((r) => r.meet)) return [];
  return ['# p_meet_band: P(a heat cast at the aim meets the band); p_meet_band_lo/hi its range: the widest of the Monte Carlo error (± 2 p_meet_band_mc_se), the calibration range (k and rho refitted on resampled held-out heats) and the held-out check (p_meet_band_heldout: this band shape around held-out heats\' curves, mean P stated vs share met, Wilson 90 %); p_meet_band_mc_se is the Monte Carlo error only; p_meet_band_lo/hi are empty where there is neither a calibration range nor a held-out check (the range would be the Monte Carlo error alone)'];
}

/** The CSV's comment line on the interval its sd_J* columns give: nominal 90 %, with the measured coverage or why none. */
function intervalLine(s: DesignSession): string[] {
  const iv = s.results.find((r) => r.interval)?.interval;
  if (!iv) return [];
  const held = iv.coverage !== null && iv.coverageWhy === 'measured' ? `held-out coverage ${iv.coverage.toFixed(2)}` : iv.coverageNote ? english(iv.coverageNote) : `coverage not measured (${iv.coverageWhy})`;
  return [`# interval: nominal 90 % = ± 1.645 sd_J*; ${held}`];
}
