import { phrase, plain, type Phrase } from '../../api/phrase.js';
import { captioned, labelled, named, titled } from '../words.js';
import type { ExperimentFigure, ExperimentTable, SampleLabel, TableRow, FigureSeries, Cell } from '../types.js';
import type { Element } from '../../jominy/elements.js';
import type { ProfileIndices } from '../../jominy/metrics.js';
import { pointRows, pointTable } from './point-tables.js';
import { cellKey, type ScoredRun } from './scores.js';
import { PAPER } from './paper.js';

/**
 * The base case (§4.1, Eq. 1) over the r × α sweep: Table 4 (one row per cell with ε, E, S, θ — the averages over
 * the 15 points — and the mean over the cells; then every cell's per-point ε_i, E_i, S_i, θ_i), Fig. 5 (ε by α and
 * by r), Fig. 6 (θ_i at the chosen cell), Table 5 and Fig. 8 (ε[El], ρ[El]).
 */
export interface SweepParts {
  tables: ExperimentTable[];
  figures: ExperimentFigure[];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The no-search baseline's indices (baseline.ts), printed under the cells. */
export interface BaselineScores {
  profile: ProfileIndices;
  truth: ProfileIndices | null;
}

export function sweepTables(cells: ScoredRun[], sample: SampleLabel, chosen: { r: number; alpha: number }, baseline: BaselineScores, reference: BaselineScores): ExperimentTable[] {
  const honest = cells[0].truth !== null;
  const row = (s: ScoredRun): TableRow => {
    const { r, alpha } = s.record;
    const isChosen = r === chosen.r && alpha === chosen.alpha;
    return {
      key: cellKey(r, alpha),
      cells: { r, alpha, eps: s.profile.eps, E: s.profile.E, S: s.profile.S, theta: s.profile.theta, ...(honest ? { epsTruth: s.truth!.eps } : {}), outOfDomain: s.outOfDomain },
      ...(isChosen ? { paper: { eps: PAPER.chosenEps } } : {}),
    };
  };
  const rows = cells.map(row);
  const avgOf = (k: string) => mean(rows.map((x) => x.cells[k] as number));
  const meanRow: TableRow = {
    key: 'mean',
    cells: { r: 'mean', alpha: `${cells.length} cells`, eps: avgOf('eps'), E: avgOf('E'), S: avgOf('S'), theta: avgOf('theta'), ...(honest ? { epsTruth: avgOf('epsTruth') } : {}), outOfDomain: avgOf('outOfDomain') },
  };
  const summary: ExperimentTable = {
    id: 'table-4',
    ...titled(phrase('experiments.jominy.table4')),
    sample,
    columns: [
      { key: 'r', label: 'r', digits: 0 },
      { key: 'alpha', label: 'α', unit: '%', digits: 0 },
      { key: 'eps', ...labelled(phrase('experiments.jominy.col.vsPredictor', { symbol: 'ε' })), unit: 'HRC', digits: 3 },
      { key: 'E', ...labelled(phrase('experiments.jominy.col.vsPredictor', { symbol: 'E' })), unit: 'HRC', digits: 2 },
      { key: 'S', ...labelled(phrase('experiments.jominy.col.vsPredictor', { symbol: 'S' })), unit: 'HRC', digits: 3 },
      { key: 'theta', ...labelled(phrase('experiments.jominy.col.vsPredictor', { symbol: 'θ' })), unit: '%', digits: 2 },
      ...(honest ? [{ key: 'epsTruth', ...labelled(phrase('experiments.jominy.col.epsTruth')), unit: 'HRC', digits: 3 }] : []),
      { key: 'outOfDomain', ...labelled(phrase('experiments.jominy.col.outOfDomain')), digits: 1 },
    ],
    rows: [
      ...rows,
      meanRow,
      {
        key: 'baseline-training-heat',
        cells: { r: 'baseline', alpha: 'closest training heat, no search', eps: baseline.profile.eps, E: baseline.profile.E, S: baseline.profile.S, theta: baseline.profile.theta, ...(honest ? { epsTruth: baseline.truth!.eps } : {}), outOfDomain: 0 },
      },
      {
        key: 'reference-own-chemistry',
        cells: { r: 'reference', alpha: 'the target heat’s own chemistry', eps: reference.profile.eps, E: reference.profile.E, S: reference.profile.S, theta: reference.profile.theta, ...(honest ? { epsTruth: reference.truth!.eps } : {}), outOfDomain: null },
      },
    ],
    ...captioned(
      honest
        ? phrase('experiments.jominy.table4CaptionHonest', { eps: plain(PAPER.chosenEps), lo: plain(PAPER.sweepEpsRange[0]), hi: plain(PAPER.sweepEpsRange[1]) })
        : phrase('experiments.jominy.table4CaptionMeasured', { eps: plain(PAPER.chosenEps), lo: plain(PAPER.sweepEpsRange[0]), hi: plain(PAPER.sweepEpsRange[1]) }),
    ),
  };
  const detail = pointTable(
    'table-4-points',
    phrase('experiments.jominy.table4Points'),
    sample,
    cells.flatMap((s) => pointRows(`${cellKey(s.record.r, s.record.alpha)}-`, `r = ${s.record.r}, α = ${s.record.alpha}: `, s.profile, s.truth, s.record.r === chosen.r && s.record.alpha === chosen.alpha ? PAPER.chosenEps : undefined)),
    phrase('experiments.jominy.table4PointsCaption'),
  );
  return [summary, detail];
}

export function elementTables(cells: ScoredRun[], sample: SampleLabel, elements: Element[]): ExperimentTable[] {
  const table = (id: string, title: Phrase, pick: 'eps' | 'rho', unit: string | undefined, digits: number, caption: Phrase): ExperimentTable => ({
    id,
    ...titled(title),
    sample,
    columns: [{ key: 'r', label: 'r', digits: 0 }, { key: 'alpha', label: 'α', unit: '%', digits: 0 }, ...elements.map((el) => ({ key: el, label: el, ...(unit ? { unit } : {}), digits }))],
    rows: cells.map((s) => {
      const c: Record<string, Cell> = { r: s.record.r, alpha: s.record.alpha };
      for (const e of s.elements) c[e.element] = e[pick];
      return { key: cellKey(s.record.r, s.record.alpha), cells: c };
    }),
    ...captioned(caption),
  });
  return [
    table('table-5', phrase('experiments.jominy.table5'), 'eps', 'wt.%', 4, phrase('experiments.jominy.table5Caption')),
    table('table-5-rho', phrase('experiments.jominy.table5Rho'), 'rho', undefined, 3, phrase('experiments.jominy.table5RhoCaption')),
  ];
}

export function sweepFigures(cells: ScoredRun[], chosen: { r: number; alpha: number }, elements: Element[]): ExperimentFigure[] {
  const rs = [...new Set(cells.map((c) => c.record.r))];
  const alphas = [...new Set(cells.map((c) => c.record.alpha))];
  // A box plot's content as points: every cell's ε, and the median with the min–max as its interval.
  const spread = (groups: number[], by: (s: ScoredRun) => number, others: number[], other: (s: ScoredRun) => number, otherName: string): FigureSeries[] => [
    ...others.map((o) => ({ name: `${otherName} = ${o}`, points: cells.filter((s) => other(s) === o).map((s) => ({ x: by(s), y: s.profile.eps })) })),
    {
      ...named(phrase('experiments.jominy.median')),
      points: groups.map((g) => {
        const v = cells.filter((s) => by(s) === g).map((s) => s.profile.eps).sort((a, b) => a - b);
        const med = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return { x: g, y: med, lo: v[0], hi: v[v.length - 1] };
      }),
    },
  ];
  const figs: ExperimentFigure[] = [
    { id: 'fig-5a', ...titled(phrase('experiments.jominy.fig5a')), kind: 'scatter', x: { label: 'α', unit: '%' }, y: { label: 'ε', unit: 'HRC' }, series: spread(alphas, (s) => s.record.alpha, rs, (s) => s.record.r, 'r'), ...captioned(phrase('experiments.jominy.fig5aCaption')) },
    { id: 'fig-5b', ...titled(phrase('experiments.jominy.fig5b')), kind: 'scatter', x: { label: 'r' }, y: { label: 'ε', unit: 'HRC' }, series: spread(rs, (s) => s.record.r, alphas, (s) => s.record.alpha, 'α'), ...captioned(phrase('experiments.jominy.fig5bCaption')) },
  ];
  const c = cells.find((s) => s.record.r === chosen.r && s.record.alpha === chosen.alpha);
  if (c) {
    const series: FigureSeries[] = [{ ...named(phrase('experiments.jominy.thetaPredictor')), points: c.profile.points.map((p) => ({ x: p.distanceMm, y: p.theta })) }];
    if (c.truth) series.push({ ...named(phrase('experiments.jominy.thetaTruth')), points: c.truth.points.map((p) => ({ x: p.distanceMm, y: p.theta })) });
    figs.push({
      id: 'fig-6',
      ...titled(phrase('experiments.jominy.fig6', { r: chosen.r, alpha: chosen.alpha })),
      kind: 'line',
      x: { ...labelled(phrase('experiments.jominy.distance')), unit: 'mm' },
      y: { label: 'θ_i', unit: '%' },
      series,
      ...captioned(phrase('experiments.jominy.fig6Caption', { first: plain(PAPER.thetaFirstBelowPct), central: plain(PAPER.thetaCentralBelowPct) })),
    });
  }
  // Fig. 8: the paper shows 4 combinations without saying which in its text; the four r at the chosen α.
  const four = cells.filter((s) => s.record.alpha === chosen.alpha);
  if (four.length)
    figs.push({
      id: 'fig-8',
      ...titled(phrase('experiments.jominy.fig8', { rs: four.map((s) => s.record.r).join(', '), alpha: chosen.alpha })),
      kind: 'bar',
      x: labelled(phrase('experiments.jominy.element')),
      y: { label: 'ρ[El]' },
      series: four.map((s) => ({ name: `r = ${s.record.r}, α = ${s.record.alpha}`, points: elements.map((el) => ({ x: el, y: s.elements.find((e) => e.element === el)!.rho })) })),
      ...captioned(phrase('experiments.jominy.fig8Caption')),
    });
  return figs;
}

